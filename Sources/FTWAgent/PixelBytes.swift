import FTWTensor

/// Frames as the world renders them: one byte per channel, `[..., H, W, C]` row-major, for one
/// step of a batch (`[B, H, W, C]`) or a trajectory batch (`[T+1, B, H, W, C]`). Trajectories and
/// replays keep their frames so, a quarter of the memory of floats; the network sees each byte
/// scaled to [0, 1] by ``scaled()``, once, on the way into the torso.
///
/// ```swift
/// let frames = PixelBytes(shape: [1, 2, 2, 3], bytes: [UInt8](repeating: 255, count: 12))
/// let input = frames.scaled()  // a [1, 2, 2, 3] tensor of ones
/// ```
public struct PixelBytes: Sendable, Equatable {
  /// The frames' shape; its product is `bytes.count`.
  public let shape: [Int]
  /// The bytes, row-major.
  public let bytes: [UInt8]

  /// Frames of `shape` holding `bytes`.
  public init(shape: [Int], bytes: [UInt8]) {
    precondition(
      shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == bytes.count,
      "\(bytes.count) bytes do not fill the shape \(shape)")
    self.shape = shape
    self.bytes = bytes
  }

  /// The bytes of one frame: the product of the last three axes.
  public var frameSize: Int { shape.suffix(3).reduce(1, *) }

  /// The network's view of the frames: each byte / 255, of the same shape.
  public func scaled() -> Tensor {
    Tensor(shape: shape) { scaled in
      bytes.withUnsafeBufferPointer { bytes in
        for index in 0..<bytes.count { scaled[index] = Float(bytes[index]) / 255 }
      }
    }
  }

  /// `parts`, all of one shape, stacked along a new leading axis.
  public static func stacked(_ parts: [PixelBytes]) -> PixelBytes {
    guard let first = parts.first else { preconditionFailure("stacking no frames") }
    precondition(parts.allSatisfy { $0.shape == first.shape }, "stacked frames must share a shape")
    var bytes: [UInt8] = []
    bytes.reserveCapacity(parts.count * first.bytes.count)
    for part in parts { bytes += part.bytes }
    return PixelBytes(shape: [parts.count] + first.shape, bytes: bytes)
  }
}
