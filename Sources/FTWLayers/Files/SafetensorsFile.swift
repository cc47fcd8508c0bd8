import FTWTensor
import Foundation

/// A safetensors file in memory: named tensors plus string metadata.
///
/// Reads `F32` and `I32`, and `F16`, `BF16` and `F64` as `Float`. Every offset, shape and length
/// is checked against the file, so a damaged file gives a ``SafetensorsError``, never a crash.
///
/// ```swift
/// let file = try SafetensorsFile(contentsOf: URL(fileURLWithPath: "case.safetensors"))
/// let x = try file.tensor("inputs/x")
/// var out = SafetensorsFile()
/// out.set("y", x)
/// try out.write(to: URL(fileURLWithPath: "out.safetensors"))
/// ```
public struct SafetensorsFile: Sendable {
  /// One stored tensor.
  public enum Value: Sendable {
    case float(Tensor)
    case int32(IndexTensor)

    public var shape: [Int] {
      switch self {
      case .float(let t): return t.shape
      case .int32(let t): return t.shape
      }
    }
  }

  /// The name used in error messages: the file's path, or `<memory>`.
  public var name: String
  /// The header's `__metadata__` strings.
  public var metadata: [String: String]
  /// The tensors by key.
  public private(set) var values: [String: Value]

  /// An empty file.
  public init(name: String = "<memory>") {
    self.name = name
    metadata = [:]
    values = [:]
  }

  /// Reads and checks the file at `url`.
  public init(contentsOf url: URL) throws {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw SafetensorsError.unreadable(file: url.path, reason: error.localizedDescription)
    }
    try self.init(data: data, name: url.path)
  }

  /// Parses and checks safetensors bytes; `name` labels errors.
  public init(data: Data, name: String) throws {
    self.name = name
    let bytes = [UInt8](data)
    guard bytes.count >= 8 else {
      throw SafetensorsError.truncated(
        file: name, reason: "\(bytes.count) bytes, fewer than the 8-byte header length")
    }
    var headerLength: UInt64 = 0
    for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
    guard headerLength <= UInt64(bytes.count - 8) else {
      throw SafetensorsError.truncated(
        file: name, reason: "header says \(headerLength) bytes, file has \(bytes.count - 8) after the length")
    }
    let headerEnd = 8 + Int(headerLength)
    let json: Any
    do {
      json = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
    } catch {
      throw SafetensorsError.malformedHeader(file: name, reason: "not JSON")
    }
    guard let header = json as? [String: Any] else {
      throw SafetensorsError.malformedHeader(file: name, reason: "not a JSON object")
    }
    let dataSize = bytes.count - headerEnd
    metadata = [:]
    values = [:]
    for (key, entry) in header {
      if key == "__metadata__" {
        guard let strings = entry as? [String: String] else {
          throw SafetensorsError.malformedHeader(file: name, reason: "__metadata__ is not a map of strings")
        }
        metadata = strings
        continue
      }
      values[key] = try Self.decode(
        entry, key: key, file: name, bytes: bytes, dataStart: headerEnd, dataSize: dataSize)
    }
  }

  private static func decode(
    _ entry: Any, key: String, file: String, bytes: [UInt8], dataStart: Int, dataSize: Int
  ) throws -> Value {
    func fail(_ reason: String) -> SafetensorsError {
      .malformedEntry(file: file, key: key, reason: reason)
    }
    guard let fields = entry as? [String: Any], let dtype = fields["dtype"] as? String,
      let shapeValues = fields["shape"] as? [Any], let offsetValues = fields["data_offsets"] as? [Any]
    else { throw fail("needs dtype, shape and data_offsets") }
    let shape = try shapeValues.map { value -> Int in
      guard let number = value as? NSNumber, let extent = Int(exactly: number.doubleValue), extent >= 0 else {
        throw fail("shape \(shapeValues) is not a list of non-negative integers")
      }
      return extent
    }
    var count = 1
    for extent in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: extent)
      guard !overflow, product <= dataSize else { throw fail("shape \(shape) is larger than the file") }
      count = product
    }
    guard offsetValues.count == 2,
      let begin = (offsetValues[0] as? NSNumber).flatMap({ Int(exactly: $0.doubleValue) }),
      let end = (offsetValues[1] as? NSNumber).flatMap({ Int(exactly: $0.doubleValue) }),
      begin >= 0, begin <= end
    else { throw fail("data_offsets \(offsetValues) is not [begin, end]") }
    guard end <= dataSize else {
      throw SafetensorsError.truncated(
        file: file, reason: "tensor '\(key)' ends at byte \(end) of \(dataSize)")
    }
    let width: Int
    switch dtype {
    case "F32", "I32": width = 4
    case "F16", "BF16": width = 2
    case "F64": width = 8
    default: throw fail("unsupported dtype \(dtype); F32, I32, F16, BF16 and F64 are read")
    }
    guard end - begin == count * width else {
      throw fail("\(end - begin) bytes for \(count) \(dtype) values of shape \(shape)")
    }
    let base = dataStart + begin
    func word(_ index: Int, _ size: Int) -> UInt64 {
      var value: UInt64 = 0
      for byte in 0..<size { value |= UInt64(bytes[base + index * size + byte]) << (8 * UInt64(byte)) }
      return value
    }
    switch dtype {
    case "I32":
      return .int32(
        IndexTensor(shape: shape, scalars: (0..<count).map { Int32(bitPattern: UInt32(word($0, 4))) }))
    case "F32":
      return .float(
        Tensor(shape: shape) { out in for i in 0..<count { out[i] = Float(bitPattern: UInt32(word(i, 4))) } })
    case "F16":
      return .float(
        Tensor(shape: shape) { out in for i in 0..<count { out[i] = floatFromHalf(UInt16(word(i, 2))) } })
    case "BF16":
      return .float(
        Tensor(shape: shape) { out in
          for i in 0..<count { out[i] = Float(bitPattern: UInt32(word(i, 2)) << 16) }
        })
    default:
      return .float(
        Tensor(shape: shape) { out in for i in 0..<count { out[i] = Float(Double(bitPattern: word(i, 8))) } })
    }
  }

  /// The keys, sorted.
  public var keys: [String] { values.keys.sorted() }

  /// The float tensor at `key`.
  public func tensor(_ key: String) throws -> Tensor {
    switch values[key] {
    case .float(let tensor): return tensor
    case .int32:
      throw SafetensorsError.wrongKind(file: name, key: key, expected: "a float tensor", found: "I32")
    case nil: throw SafetensorsError.missingKey(file: name, key: key)
    }
  }

  /// The float tensor at `key`, which must have `shape`.
  public func tensor(_ key: String, shape: [Int]) throws -> Tensor {
    let tensor = try tensor(key)
    guard tensor.shape == shape else {
      throw SafetensorsError.shapeMismatch(file: name, key: key, expected: shape, found: tensor.shape)
    }
    return tensor
  }

  /// The `I32` tensor at `key`.
  public func indices(_ key: String) throws -> IndexTensor {
    switch values[key] {
    case .int32(let tensor): return tensor
    case .float:
      throw SafetensorsError.wrongKind(
        file: name, key: key, expected: "an I32 tensor", found: "a float tensor")
    case nil: throw SafetensorsError.missingKey(file: name, key: key)
    }
  }

  /// Stores a float tensor (written as `F32`).
  public mutating func set(_ key: String, _ tensor: Tensor) { values[key] = .float(tensor) }

  /// Stores an index tensor (written as `I32`).
  public mutating func set(_ key: String, _ tensor: IndexTensor) { values[key] = .int32(tensor) }

  /// The file's bytes: header sorted by key, data in the same order, 8-byte aligned.
  public func serialized() throws -> Data {
    var header: [String: Any] = [:]
    if !metadata.isEmpty { header["__metadata__"] = metadata }
    var body = [UInt8]()
    for key in keys {
      let value = values[key]!
      let begin = body.count
      switch value {
      case .float(let tensor):
        tensor.withUnsafeBufferPointer { buffer in
          for v in buffer { appendLittleEndian(v.bitPattern, to: &body) }
        }
      case .int32(let tensor):
        for v in tensor.scalars { appendLittleEndian(UInt32(bitPattern: v), to: &body) }
      }
      header[key] = [
        "dtype": { if case .int32 = value { return "I32" } else { return "F32" } }(),
        "shape": value.shape, "data_offsets": [begin, body.count],
      ]
    }
    var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    while json.count % 8 != 0 { json.append(0x20) }
    var out = Data()
    var length = UInt64(json.count).littleEndian
    withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
    out.append(json)
    out.append(contentsOf: body)
    return out
  }

  /// Writes the file atomically: a temporary file beside `url`, flushed to disk, then renamed.
  ///
  /// - Throws: ``SafetensorsError/unwritable(file:reason:)``.
  public func write(to url: URL) throws {
    do {
      try AtomicFile.write(serialized(), to: url)
    } catch let error as AtomicFileError {
      throw SafetensorsError.unwritable(file: error.file, reason: error.reason)
    }
  }
}

private func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
  for shift in stride(from: 0, to: 32, by: 8) {
    bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
  }
}

/// IEEE half precision to single precision, exactly.
func floatFromHalf(_ bits: UInt16) -> Float {
  let sign = UInt32(bits >> 15) << 31
  let exponent = Int((bits >> 10) & 0x1F)
  let mantissa = UInt32(bits & 0x3FF)
  switch exponent {
  case 0:
    let magnitude = Float(mantissa) * 0x1p-24
    return sign == 0 ? magnitude : -magnitude
  case 31:
    return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
  default:
    return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
  }
}
