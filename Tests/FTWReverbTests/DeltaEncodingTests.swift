import FTWReverb
import Testing

@Suite struct DeltaEncodingTests {
  @Test func rowsBecomeDifferencesInWrappingArithmetic() {
    var frames: [UInt8] = [10, 20, 11, 22, 12, 24, 2, 0]
    DeltaEncoding.encode(&frames, rowLength: 2)
    #expect(frames == [10, 20, 1, 2, 1, 2, 246, 232])
    DeltaEncoding.decode(&frames, rowLength: 2)
    #expect(frames == [10, 20, 11, 22, 12, 24, 2, 0])

    var counts: [Int32] = [Int32.max, -5, Int32.min, 7]
    DeltaEncoding.encode(&counts, rowLength: 2)
    #expect(counts == [Int32.max, -5, 1, 12])
    DeltaEncoding.decode(&counts, rowLength: 2)
    #expect(counts == [Int32.max, -5, Int32.min, 7])
  }

  @Test(arguments: [1, 3, 64])
  func roundTripsAnyRowLength(rowLength: Int) {
    var state: UInt64 = 12_345 &* UInt64(rowLength)
    let original = (0..<(rowLength * 9)).map { _ -> Int64 in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int64(bitPattern: state)
    }
    var values = original
    DeltaEncoding.encode(&values, rowLength: rowLength)
    #expect(values != original)
    DeltaEncoding.decode(&values, rowLength: rowLength)
    #expect(values == original)
    var empty: [Int64] = []
    DeltaEncoding.encode(&empty, rowLength: rowLength)
    DeltaEncoding.decode(&empty, rowLength: rowLength)
    #expect(empty.isEmpty)
  }
}
