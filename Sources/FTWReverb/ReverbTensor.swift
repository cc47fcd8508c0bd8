/// A dense tensor as Reverb moves it: a TensorFlow element type, a shape, and the elements'
/// bytes in row-major order (little-endian, as TensorFlow's `tensor_content` holds them).
///
/// The shape's first axis is time when the tensor is a column of a trajectory (`[T, ...]`).
/// Sizes are checked when a tensor is made: the element count must fit the bytes, and a shape
/// whose product overflows or exceeds ``maximumByteCount`` is refused before anything is
/// allocated.
///
/// ```swift
/// let rewards = try ReverbTensor([0, 1, 0.5], shape: [3])           // float32, 12 bytes
/// let frames = try ReverbTensor([UInt8](repeating: 7, count: 2 * 84 * 84 * 3), shape: [2, 84, 84, 3])
/// try rewards.floats()                                               // [0, 1, 0.5]
/// ```
public struct ReverbTensor: Equatable, Sendable {
  /// The element types the client reads and writes, with TensorFlow's `DataType` numbers.
  public enum DataType: Int, Sendable, CaseIterable {
    case float32 = 1
    case float64 = 2
    case int32 = 3
    case uint8 = 4
    case int16 = 5
    case int8 = 6
    case int64 = 9
    case bool = 10
    case uint16 = 17
    case uint32 = 22
    case uint64 = 23

    /// Bytes per element.
    public var size: Int {
      switch self {
      case .uint8, .int8, .bool: 1
      case .int16, .uint16: 2
      case .float32, .int32, .uint32: 4
      case .float64, .int64, .uint64: 8
      }
    }

    /// Whether Reverb's delta encoding applies (TensorFlow's integral types; not bool).
    public var isIntegral: Bool {
      switch self {
      case .uint8, .int8, .int16, .uint16, .int32, .uint32, .int64, .uint64: true
      case .float32, .float64, .bool: false
      }
    }
  }

  /// Why a tensor could not be made or read.
  public struct ShapeError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
  }

  /// The largest tensor accepted, in bytes (1 GiB): larger sizes from a peer are refused.
  public static let maximumByteCount = 1 << 30

  public let dataType: DataType
  public let shape: [Int]
  public let bytes: [UInt8]

  /// A tensor of `shape` whose elements are `bytes`; throws when the two disagree.
  public init(dataType: DataType, shape: [Int], bytes: [UInt8]) throws {
    let count = try Self.elementCount(of: shape, dataType: dataType)
    guard bytes.count == count * dataType.size else {
      throw ShapeError(
        "shape \(shape) of \(dataType) needs \(count * dataType.size) bytes, got \(bytes.count)")
    }
    self.dataType = dataType
    self.shape = shape
    self.bytes = bytes
  }

  /// A float32 tensor.
  public init(_ values: [Float], shape: [Int]) throws {
    try self.init(dataType: .float32, shape: shape, bytes: Self.bytes(of: values))
  }

  /// An int32 tensor.
  public init(_ values: [Int32], shape: [Int]) throws {
    try self.init(dataType: .int32, shape: shape, bytes: Self.bytes(of: values))
  }

  /// A uint8 tensor.
  public init(_ values: [UInt8], shape: [Int]) throws {
    try self.init(dataType: .uint8, shape: shape, bytes: values)
  }

  /// The number of elements of `shape`, checked for negative sizes, overflow and
  /// ``maximumByteCount``.
  public static func elementCount(of shape: [Int], dataType: DataType) throws -> Int {
    var count = 1
    for size in shape {
      guard size >= 0 else { throw ShapeError("negative size in shape \(shape)") }
      let (product, overflow) = count.multipliedReportingOverflow(by: size)
      guard !overflow, product <= maximumByteCount / dataType.size else {
        throw ShapeError("shape \(shape) of \(dataType) exceeds \(maximumByteCount) bytes")
      }
      count = product
    }
    return count
  }

  /// The number of elements.
  public var count: Int { bytes.count / dataType.size }

  /// The elements of a float32 tensor.
  public func floats() throws -> [Float] { try values(as: Float.self, .float32) }

  /// The elements of an int32 tensor.
  public func int32s() throws -> [Int32] { try values(as: Int32.self, .int32) }

  /// The elements of a uint8 tensor.
  public func uint8s() throws -> [UInt8] {
    guard dataType == .uint8 else { throw ShapeError("a \(dataType) tensor read as uint8") }
    return bytes
  }

  /// Rows `range` along the first axis (time), as a tensor of `range.count` rows.
  public func rows(_ range: Range<Int>) throws -> ReverbTensor {
    guard let length = shape.first, range.lowerBound >= 0, range.upperBound <= length else {
      throw ShapeError("rows \(range) of a tensor of shape \(shape)")
    }
    let rowBytes = length == 0 ? 0 : bytes.count / length
    return try ReverbTensor(
      dataType: dataType, shape: [range.count] + shape.dropFirst(),
      bytes: Array(bytes[(range.lowerBound * rowBytes)..<(range.upperBound * rowBytes)]))
  }

  /// `parts` joined along their first axis; they must agree in type and in every other axis.
  public static func concatenating(_ parts: [ReverbTensor]) throws -> ReverbTensor {
    guard let first = parts.first, !first.shape.isEmpty else {
      throw ShapeError("nothing to join, or a scalar among the parts")
    }
    var rows = 0
    var joined: [UInt8] = []
    joined.reserveCapacity(parts.reduce(0) { $0 + $1.bytes.count })
    for part in parts {
      guard part.dataType == first.dataType, part.shape.dropFirst() == first.shape.dropFirst() else {
        throw ShapeError("cannot join \(part.dataType) \(part.shape) to \(first.dataType) \(first.shape)")
      }
      rows += part.shape[0]
      joined += part.bytes
    }
    return try ReverbTensor(dataType: first.dataType, shape: [rows] + first.shape.dropFirst(), bytes: joined)
  }

  private func values<Element>(as _: Element.Type, _ expected: DataType) throws -> [Element] {
    guard dataType == expected else { throw ShapeError("a \(dataType) tensor read as \(expected)") }
    return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
      bytes.withUnsafeBytes { source in
        UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
      }
      initialized = count
    }
  }

  private static func bytes<Element>(of values: [Element]) -> [UInt8] {
    values.withUnsafeBytes { Array($0) }
  }
}
