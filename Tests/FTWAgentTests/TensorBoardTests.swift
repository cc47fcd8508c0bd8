import FTWAgent
import FTWTestSupport
import Foundation
import Testing

@Suite struct TensorBoardTests {
  /// RFC 3720's check values of CRC-32C, and the usual "123456789" one.
  @Test func crc32cMatchesItsPublishedCheckValues() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
  }

  /// The encoding of an event, field by field from the `Event`, `Summary` and `Summary.Value`
  /// messages: wall_time (field 1, a double), step (field 2, a varint), summary (field 5) holding
  /// one value of tag (field 1) "a" and simple_value (field 2, a float) 1.
  @Test func anEventIsTheProtocolBufferTensorBoardReads() throws {
    let event = TensorBoardEvent(step: 1, wallTime: 0, scalars: [.init("a", 1)])
    let value: [UInt8] = [0x0A, 0x01, 0x61, 0x15, 0x00, 0x00, 0x80, 0x3F]
    let summary: [UInt8] = [0x0A, UInt8(value.count)] + value
    let expected: [UInt8] =
      [0x09] + [UInt8](repeating: 0, count: 8) + [0x10, 0x01, 0x2A, UInt8(summary.count)] + summary
    #expect(event.message == expected)
    let record = event.record
    #expect(record.count == 8 + 4 + expected.count + 4)
    #expect(Array(record[0..<8]) == [UInt8(expected.count), 0, 0, 0, 0, 0, 0, 0])
    #expect(Array(record[12..<(12 + expected.count)]) == expected)
    #expect(try EventFile(bytes: record).events == [event])
  }

  @Test func largeStepsAndNegativeValuesSurviveTheRoundTrip() throws {
    let event = TensorBoardEvent(
      step: 123_456_789_012, wallTime: 1.8e9 + 0.25,
      scalars: [.init("loss", -3.5), .init("ladder_elo", 1413.5), .init("member_3/learning_rate", 4e-4)])
    #expect(try EventFile(bytes: event.record).events == [event])
  }

  @Test func aLogStartsWithItsVersionAndAppendsAndRewrites() throws {
    try withTemporaryFolder { folder in
      let log = TensorBoardLog(folder: folder)
      let events = (1...3).map {
        TensorBoardEvent(step: $0 * 100, wallTime: 10, scalars: [.init("x", Float($0))])
      }
      try log.append(Array(events.prefix(2)))
      try log.append([events[2]])
      var file = try EventFile(url: log.url)
      #expect(file.version == "brain.Event:2")
      #expect(file.events == events)
      try log.rewrite([events[0]])
      file = try EventFile(url: log.url)
      #expect(file.version == "brain.Event:2" && file.events == [events[0]])
    }
  }

  /// A damaged byte is caught by the record's checksum (as TensorBoard's reader checks it).
  @Test func aFlippedByteFailsTheChecksum() {
    var record = TensorBoardEvent(step: 5, wallTime: 1, scalars: [.init("x", 2)]).record
    record[14] ^= 0x40
    #expect(throws: EventFile.Damaged.self) { try EventFile(bytes: record) }
  }
}

/// A reader of TFRecord event files written for these tests from the format's description: each
/// record's checksums are verified and its `Event` decoded.
struct EventFile {
  struct Damaged: Error {}

  var version: String?
  var events: [TensorBoardEvent] = []

  init(url: URL) throws { try self.init(bytes: Array(try Data(contentsOf: url))) }

  init(bytes: [UInt8]) throws {
    var offset = 0
    func take(_ count: Int) throws -> [UInt8] {
      guard count >= 0, offset + count <= bytes.count else { throw Damaged() }
      defer { offset += count }
      return Array(bytes[offset..<(offset + count)])
    }
    func uint(_ bytes: [UInt8]) -> UInt64 { bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
    while offset < bytes.count {
      let length = try take(8)
      guard uint(try take(4)) == UInt64(CRC32C.masked(length)) else { throw Damaged() }
      let payload = try take(Int(uint(length)))
      guard uint(try take(4)) == UInt64(CRC32C.masked(payload)) else { throw Damaged() }
      var event = TensorBoardEvent(step: 0, wallTime: 0, scalars: [])
      var isVersion = false
      for (field, value) in try Self.fields(payload) {
        switch (field, value) {
        case (1, .fixed64(let bits)): event.wallTime = Double(bitPattern: bits)
        case (2, .varint(let step)): event.step = Int(Int64(bitPattern: step))
        case (3, .bytes(let text)):
          (version, isVersion) = (String(decoding: text, as: UTF8.self), true)
        case (5, .bytes(let summary)):
          for case (1, .bytes(let value)) in try Self.fields(summary) {
            var scalar = TensorBoardEvent.Scalar("", .nan)
            for (field, part) in try Self.fields(value) {
              if case (1, .bytes(let tag)) = (field, part) {
                scalar.tag = String(decoding: tag, as: UTF8.self)
              }
              if case (2, .fixed32(let bits)) = (field, part) { scalar.value = Float(bitPattern: bits) }
            }
            event.scalars.append(scalar)
          }
        default: throw Damaged()
        }
      }
      if !isVersion { events.append(event) }
    }
  }

  enum Value {
    case varint(UInt64)
    case fixed64(UInt64)
    case bytes([UInt8])
    case fixed32(UInt32)
  }

  /// The fields of a protocol-buffer message, in order.
  static func fields(_ bytes: [UInt8]) throws -> [(Int, Value)] {
    var offset = 0
    func varint() throws -> UInt64 {
      var (value, shift) = (UInt64(0), UInt64(0))
      while true {
        guard offset < bytes.count, shift < 64 else { throw Damaged() }
        let byte = bytes[offset]
        offset += 1
        value |= UInt64(byte & 0x7F) << shift
        if byte < 0x80 { return value }
        shift += 7
      }
    }
    func fixed(_ count: Int) throws -> UInt64 {
      guard offset + count <= bytes.count else { throw Damaged() }
      defer { offset += count }
      return bytes[offset..<(offset + count)].reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
    var fields: [(Int, Value)] = []
    while offset < bytes.count {
      let key = try varint()
      let field = Int(key >> 3)
      switch key & 7 {
      case 0: fields.append((field, .varint(try varint())))
      case 1: fields.append((field, .fixed64(try fixed(8))))
      case 2:
        let count = Int(try varint())
        guard offset + count <= bytes.count else { throw Damaged() }
        fields.append((field, .bytes(Array(bytes[offset..<(offset + count)]))))
        offset += count
      case 5: fields.append((field, .fixed32(UInt32(try fixed(4)))))
      default: throw Damaged()
      }
    }
    return fields
  }
}
