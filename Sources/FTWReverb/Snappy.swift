/// Snappy's raw format, the compression Reverb applies to every chunk tensor's bytes: a varint of
/// the uncompressed length, then literals and back-references ("copies") into what came before.
///
/// The compressor works in 64 KiB blocks with a hash table of 4-byte sequences, as Snappy's own
/// does, so what it writes is what any Snappy decoder reads; the decoder checks every length and
/// offset and never writes outside the length the stream declares.
///
/// ```swift
/// let packed = Snappy.compress(bytes)
/// let unpacked = try Snappy.decompress(packed, maximumLength: bytes.count)  // == bytes
/// ```
public enum Snappy {
  /// Why a stream could not be decompressed.
  public struct FormatError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
  }

  private static let blockSize = 1 << 16
  private static let hashBits = 14

  /// `input` compressed.
  public static func compress(_ input: [UInt8]) -> [UInt8] {
    input.withUnsafeBufferPointer { compress(UnsafeRawBufferPointer($0)) }
  }

  /// The bytes of `input` compressed.
  public static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(32 + input.count + input.count / 6)
    appendVarint(UInt64(input.count), to: &output)
    guard let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return output }
    var table = [Int32](repeating: -1, count: 1 << hashBits)
    var start = 0
    while start < input.count {
      let end = min(start + blockSize, input.count)
      compressBlock(base, start, end, table: &table, into: &output)
      start = end
    }
    return output
  }

  private static func load32(_ bytes: UnsafePointer<UInt8>, _ index: Int) -> UInt32 {
    UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt32.self)
  }

  private static func hash(_ value: UInt32) -> Int {
    Int((value &* 0x1E35_A7BD) >> UInt32(32 - hashBits))
  }

  private static func compressBlock(
    _ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int, table: inout [Int32], into output: inout [UInt8]
  ) {
    var pending = start
    // The last 15 bytes are left as a literal, so every 4-byte load stays inside the block.
    let limit = end - 15
    if limit > start {
      for i in table.indices { table[i] = -1 }
      var position = start + 1
      var skip = 32
      while position <= limit {
        let value = load32(bytes, position)
        let slot = hash(value)
        let previous = table[slot]
        table[slot] = Int32(position - start)
        guard previous >= 0, load32(bytes, start + Int(previous)) == value else {
          position += skip >> 5
          skip += 1
          continue
        }
        let candidate = start + Int(previous)
        appendLiteral(bytes, from: pending, to: position, into: &output)
        var length = 4
        while position + length < end, bytes[candidate + length] == bytes[position + length] { length += 1 }
        appendCopy(offset: position - candidate, length: length, into: &output)
        position += length
        pending = position
        skip = 32
      }
    }
    appendLiteral(bytes, from: pending, to: end, into: &output)
  }

  private static func appendVarint(_ value: UInt64, to output: inout [UInt8]) {
    var value = value
    while value >= 0x80 {
      output.append(UInt8(truncatingIfNeeded: value) | 0x80)
      value >>= 7
    }
    output.append(UInt8(value))
  }

  private static func appendLiteral(
    _ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int, into output: inout [UInt8]
  ) {
    guard end > start else { return }
    let n = end - start - 1
    if n < 60 {
      output.append(UInt8(n << 2))
    } else {
      let width = n < 1 << 8 ? 1 : n < 1 << 16 ? 2 : n < 1 << 24 ? 3 : 4
      output.append(UInt8((59 + width) << 2))
      for byte in 0..<width { output.append(UInt8(truncatingIfNeeded: n >> (8 * byte))) }
    }
    output.append(contentsOf: UnsafeBufferPointer(start: bytes + start, count: end - start))
  }

  private static func appendCopy(offset: Int, length: Int, into output: inout [UInt8]) {
    var length = length
    while length >= 68 {
      appendCopy2(offset: offset, length: 64, into: &output)
      length -= 64
    }
    if length > 64 {
      appendCopy2(offset: offset, length: 60, into: &output)
      length -= 60
    }
    if length < 12, offset < 2048 {
      output.append(UInt8(1 | ((length - 4) << 2) | ((offset >> 8) << 5)))
      output.append(UInt8(truncatingIfNeeded: offset))
    } else {
      appendCopy2(offset: offset, length: length, into: &output)
    }
  }

  private static func appendCopy2(offset: Int, length: Int, into output: inout [UInt8]) {
    output.append(UInt8(2 | ((length - 1) << 2)))
    output.append(UInt8(truncatingIfNeeded: offset))
    output.append(UInt8(truncatingIfNeeded: offset >> 8))
  }

  /// The uncompressed length a stream declares, and where its elements start.
  public static func uncompressedLength(of input: [UInt8]) throws -> Int {
    try readLength(input).length
  }

  private static func readLength(_ input: [UInt8]) throws -> (length: Int, start: Int) {
    var value: UInt64 = 0
    for index in 0..<min(input.count, 10) {
      let byte = input[index]
      value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
      if byte < 0x80 {
        guard value <= UInt64(Int32.max) else { throw FormatError("declared length \(value) is too large") }
        return (Int(value), index + 1)
      }
    }
    throw FormatError("the length's varint is truncated")
  }

  /// `input` decompressed; throws when the stream is malformed or declares more than
  /// `maximumLength` bytes.
  public static func decompress(_ input: [UInt8], maximumLength: Int) throws -> [UInt8] {
    let (length, start) = try readLength(input)
    guard length <= maximumLength else {
      throw FormatError("declares \(length) bytes, more than the \(maximumLength) expected")
    }
    var output = [UInt8](repeating: 0, count: length)
    var written = 0
    try input.withUnsafeBufferPointer { source in
      try output.withUnsafeMutableBufferPointer { target in
        var position = start
        func take(_ count: Int) throws -> Int {
          guard position + count <= source.count else { throw FormatError("truncated at byte \(position)") }
          var value = 0
          for byte in 0..<count { value |= Int(source[position + byte]) << (8 * byte) }
          position += count
          return value
        }
        while position < source.count {
          let tag = Int(source[position])
          position += 1
          let (offset, count): (Int, Int)
          switch tag & 3 {
          case 0:
            var n = tag >> 2
            if n >= 60 { n = try take(n - 59) }
            let count = n + 1
            guard position + count <= source.count, written + count <= length else {
              throw FormatError("a literal of \(count) bytes overruns the stream at byte \(position)")
            }
            target.baseAddress!.advanced(by: written).update(
              from: source.baseAddress!.advanced(by: position), count: count)
            position += count
            written += count
            continue
          case 1:
            count = 4 + ((tag >> 2) & 7)
            offset = ((tag >> 5) << 8) | (try take(1))
          case 2:
            count = 1 + (tag >> 2)
            offset = try take(2)
          default:
            count = 1 + (tag >> 2)
            offset = try take(4)
          }
          guard offset > 0, offset <= written, written + count <= length else {
            throw FormatError(
              "a copy of \(count) bytes from offset \(offset) at output byte \(written) is invalid")
          }
          // Byte by byte: a copy may overlap what it writes (a run).
          for index in 0..<count { target[written + index] = target[written - offset + index] }
          written += count
        }
      }
    }
    guard written == length else { throw FormatError("holds \(written) bytes, declares \(length)") }
    return output
  }
}
