import FTWReverb
import Foundation
import Testing

@Suite struct SnappyTests {
  func fixture(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
    return [UInt8](try Data(contentsOf: url))
  }

  @Test func readsWhatLibsnappyWrote() throws {
    // mixed.snappy is python-snappy's (libsnappy's) compression of mixed.raw: a ramp, a run of
    // zeros, noise and a short cycle, 20,000 bytes.
    let (raw, packed) = (try fixture("mixed.raw"), try fixture("mixed.snappy"))
    #expect(try Snappy.uncompressedLength(of: packed) == raw.count)
    #expect(try Snappy.decompress(packed, maximumLength: raw.count) == raw)
    // Ours reads back and is about as small as libsnappy's (6,186 bytes).
    let ours = Snappy.compress(raw)
    #expect(try Snappy.decompress(ours, maximumLength: raw.count) == raw)
    #expect(Double(ours.count) <= 1.1 * Double(packed.count))
  }

  @Test func writesTheBytesTheFormatPrescribes() {
    // Length 20 (varint 0x14), a literal "aa" (tag 1 << 2), then a two-byte-offset copy of 18
    // bytes from offset 1 (tag 2 | 17 << 2): libsnappy decodes it to the 20 bytes.
    #expect(
      Snappy.compress([UInt8](repeating: 0x61, count: 20)) == [0x14, 0x04, 0x61, 0x61, 0x46, 0x01, 0x00])
    #expect(Snappy.compress([]) == [0x00])
    #expect(Snappy.compress([7, 8, 9]) == [0x03, 0x08, 7, 8, 9])
  }

  @Test(arguments: [0, 1, 15, 16, 17, 61, 300, 65_535, 65_536, 65_537, 200_003])
  func roundTripsAcrossBlockAndLiteralBoundaries(count: Int) throws {
    var seeds: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(count + 1)
    func next() -> UInt8 {
      seeds = seeds &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: seeds >> 56)
    }
    let noise = (0..<count).map { _ in next() }
    let structured = (0..<count).map { UInt8(truncatingIfNeeded: $0 / 7 % 5) }
    for bytes in [noise, structured] {
      #expect(try Snappy.decompress(Snappy.compress(bytes), maximumLength: count) == bytes)
    }
  }

  @Test func refusesMalformedStreams() {
    let good = Snappy.compress([UInt8](repeating: 0x61, count: 20))
    #expect(throws: Snappy.FormatError.self) { try Snappy.decompress(good, maximumLength: 19) }
    #expect(throws: Snappy.FormatError.self) {
      try Snappy.decompress(Array(good.dropLast()), maximumLength: 20)
    }
    // A copy from before the start, a literal longer than the stream, a length varint that never
    // ends, and more bytes than the stream declares.
    #expect(throws: Snappy.FormatError.self) {
      try Snappy.decompress([0x05, 0x46, 0x05, 0x00], maximumLength: 100)
    }
    #expect(throws: Snappy.FormatError.self) {
      try Snappy.decompress([0x05, 0x10, 0x61], maximumLength: 100)
    }
    #expect(throws: Snappy.FormatError.self) { try Snappy.decompress([0xFF, 0xFF], maximumLength: 100) }
    #expect(throws: Snappy.FormatError.self) {
      try Snappy.decompress([0x01, 0x04, 0x61, 0x61], maximumLength: 100)
    }
  }
}
