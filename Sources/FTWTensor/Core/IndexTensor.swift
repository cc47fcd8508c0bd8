/// A row-major array of `Int32` values: actions, indices and permutations. Never differentiated.
///
/// ```swift
/// let actions = IndexTensor(shape: [2], scalars: [3, 0])
/// let encoded = actions.oneHot(depth: 4)   // Tensor [2, 4]
/// ```
public struct IndexTensor: Sendable, Equatable {
  /// The extent of each axis, outermost first.
  public let shape: [Int]
  /// The values in row-major order.
  public let scalars: [Int32]

  /// Creates an index tensor from values in row-major order.
  ///
  /// - Precondition: `scalars.count` equals the product of `shape`.
  public init(shape: [Int], scalars: [Int32]) {
    precondition(
      shape.reduce(1, *) == scalars.count,
      "shape \(shape) needs \(shape.reduce(1, *)) values, got \(scalars.count)")
    self.shape = shape
    self.scalars = scalars
  }

  /// Creates a rank-1 index tensor.
  public init(_ scalars: [Int32]) { self.init(shape: [scalars.count], scalars: scalars) }

  /// The number of axes.
  public var rank: Int { shape.count }

  /// The same values with another shape of the same element count.
  public func reshaped(to newShape: [Int]) -> IndexTensor {
    IndexTensor(shape: newShape, scalars: scalars)
  }

  /// Element `index` of the first axis, with that axis removed.
  public func element(_ index: Int) -> IndexTensor {
    precondition(
      rank >= 1 && (0..<shape[0]).contains(index), "element \(index) of an index tensor of shape \(shape)")
    let width = shape.dropFirst().reduce(1, *)
    return IndexTensor(
      shape: Array(shape.dropFirst()), scalars: Array(scalars[(index * width)..<((index + 1) * width)]))
  }

  /// A `[..., depth]` tensor with 1 at each index and 0 elsewhere; out-of-range indices give a row
  /// of zeros (TensorFlow's `one_hot`).
  public func oneHot(depth: Int) -> Tensor {
    Tensor(shape: shape + [depth]) { out in
      out.initialize(repeating: 0)
      for (row, index) in scalars.enumerated() where index >= 0 && Int(index) < depth {
        out[row * depth + Int(index)] = 1
      }
    }
  }
}
