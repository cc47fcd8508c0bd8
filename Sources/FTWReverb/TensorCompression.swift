/// How Reverb stores a chunk's tensors: integer tensors of two or more dimensions are delta
/// encoded along time when the chunk asks for it (``DeltaEncoding``), then every tensor's bytes
/// are Snappy-compressed (``Snappy``) into TensorFlow's `tensor_content`, beside the dtype and
/// shape.
///
/// ```swift
/// let frames = try ReverbTensor(pixels, shape: [20, 84, 84, 3])
/// let content = TensorCompression.compress(frames, deltaEncoded: true)
/// let back = try TensorCompression.decompress(
///   content, dataType: .uint8, shape: [20, 84, 84, 3], deltaEncoded: true)   // == frames
/// ```
public enum TensorCompression {
  /// The compressed bytes of `tensor`.
  public static func compress(_ tensor: ReverbTensor, deltaEncoded: Bool) -> [UInt8] {
    guard deltaEncoded, appliesDelta(to: tensor.dataType, shape: tensor.shape) else {
      return Snappy.compress(tensor.bytes)
    }
    var bytes = tensor.bytes
    transform(&bytes, tensor.dataType, rowLength: tensor.count / tensor.shape[0], encode: true)
    return Snappy.compress(bytes)
  }

  /// The tensor of `dataType` and `shape` whose compressed bytes are `content`; throws when the
  /// stream is malformed or does not hold exactly the shape's bytes.
  public static func decompress(
    _ content: [UInt8], dataType: ReverbTensor.DataType, shape: [Int], deltaEncoded: Bool
  ) throws -> ReverbTensor {
    let expected = try ReverbTensor.elementCount(of: shape, dataType: dataType) * dataType.size
    var bytes = try Snappy.decompress(content, maximumLength: expected)
    guard bytes.count == expected else {
      throw ReverbTensor.ShapeError("\(bytes.count) bytes for shape \(shape) of \(dataType) (\(expected))")
    }
    if deltaEncoded, appliesDelta(to: dataType, shape: shape), expected > 0 {
      transform(&bytes, dataType, rowLength: expected / dataType.size / shape[0], encode: false)
    }
    return try ReverbTensor(dataType: dataType, shape: shape, bytes: bytes)
  }

  private static func appliesDelta(to dataType: ReverbTensor.DataType, shape: [Int]) -> Bool {
    dataType.isIntegral && shape.count >= 2 && shape[0] > 0
  }

  /// Delta-encodes or decodes `bytes` as elements of `dataType`'s width (the arithmetic wraps, so
  /// signed and unsigned types of one width encode alike).
  private static func transform(
    _ bytes: inout [UInt8], _ dataType: ReverbTensor.DataType, rowLength: Int, encode: Bool
  ) {
    guard rowLength > 0 else { return }
    bytes.withUnsafeMutableBytes { raw in
      switch dataType.size {
      case 1: apply(raw, UInt8.self, rowLength, encode)
      case 2: apply(raw, UInt16.self, rowLength, encode)
      case 4: apply(raw, UInt32.self, rowLength, encode)
      default: apply(raw, UInt64.self, rowLength, encode)
      }
    }
  }

  private static func apply<Element: FixedWidthInteger>(
    _ raw: UnsafeMutableRawBufferPointer, _: Element.Type, _ rowLength: Int, _ encode: Bool
  ) {
    raw.withMemoryRebound(to: Element.self) { values in
      if encode {
        DeltaEncoding.encode(values, rowLength: rowLength)
      } else {
        DeltaEncoding.decode(values, rowLength: rowLength)
      }
    }
  }
}
