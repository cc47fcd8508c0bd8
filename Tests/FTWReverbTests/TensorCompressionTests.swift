import FTWReverb
import Testing

@Suite struct TensorCompressionTests {
  @Test func tensorsCheckTheirSizes() throws {
    let floats = try ReverbTensor([1, -2.5, 3], shape: [3])
    #expect(floats.dataType == .float32 && floats.bytes.count == 12)
    #expect(try floats.floats() == [1, -2.5, 3])
    #expect(throws: ReverbTensor.ShapeError.self) { try floats.int32s() }
    #expect(throws: ReverbTensor.ShapeError.self) { try ReverbTensor([1, 2] as [Float], shape: [3]) }
    #expect(throws: ReverbTensor.ShapeError.self) {
      try ReverbTensor(dataType: .uint8, shape: [-1, 2], bytes: [])
    }
    // A shape whose product overflows, or passes the size limit, is refused before allocating.
    #expect(throws: ReverbTensor.ShapeError.self) {
      try ReverbTensor.elementCount(of: [1 << 40, 1 << 40], dataType: .uint8)
    }
    #expect(throws: ReverbTensor.ShapeError.self) {
      try ReverbTensor.elementCount(of: [1 << 28, 2], dataType: .float32)
    }
  }

  @Test func rowsAndJoinsFollowTheTimeAxis() throws {
    let column = try ReverbTensor((0..<12).map(Int32.init), shape: [4, 3])
    let middle = try column.rows(1..<3)
    #expect(middle.shape == [2, 3])
    #expect(try middle.int32s() == [3, 4, 5, 6, 7, 8])
    let joined = try ReverbTensor.concatenating([column.rows(0..<1), middle, column.rows(3..<4)])
    #expect(joined == column)
    #expect(throws: ReverbTensor.ShapeError.self) { try column.rows(3..<5) }
    #expect(throws: ReverbTensor.ShapeError.self) {
      try ReverbTensor.concatenating([column, try ReverbTensor([1, 2] as [Float], shape: [1, 2])])
    }
  }

  @Test(arguments: ReverbTensor.DataType.allCases)
  func everyTypeRoundTripsBitIdentically(dataType: ReverbTensor.DataType) throws {
    var state: UInt64 = 0x2545_F491_4F6C_DD1D &* UInt64(dataType.rawValue)
    let bytes = (0..<(5 * 6 * dataType.size)).map { _ -> UInt8 in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return dataType == .bool ? UInt8(state >> 63) : UInt8(truncatingIfNeeded: state >> 56)
    }
    let tensor = try ReverbTensor(dataType: dataType, shape: [5, 2, 3], bytes: bytes)
    for deltaEncoded in [false, true] {
      let content = TensorCompression.compress(tensor, deltaEncoded: deltaEncoded)
      let back = try TensorCompression.decompress(
        content, dataType: dataType, shape: [5, 2, 3], deltaEncoded: deltaEncoded)
      #expect(back == tensor)
    }
  }

  @Test func deltaEncodingMakesSlowFramesSmallAndLeavesFloatsAlone() throws {
    // Twenty frames of a picture whose every pixel brightens by one a step: the rows do not
    // repeat (the picture is noise), but their differences are all ones.
    var state: UInt64 = 5
    let picture = (0..<400).map { _ -> UInt8 in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
    let frames = try ReverbTensor(
      (0..<20).flatMap { step in picture.map { $0 &+ UInt8(step) } }, shape: [20, 400])
    let plain = TensorCompression.compress(frames, deltaEncoded: false)
    let delta = TensorCompression.compress(frames, deltaEncoded: true)
    #expect(delta.count * 4 < plain.count)
    // Rows after the first are all ones after encoding: the Snappy stream holds the first row
    // and then a run of ones.
    let decoded = try Snappy.decompress(delta, maximumLength: frames.bytes.count)
    #expect(decoded[400...].allSatisfy { $0 == 1 })
    let floats = try ReverbTensor((0..<40).map(Float.init), shape: [20, 2])
    #expect(
      TensorCompression.compress(floats, deltaEncoded: true)
        == TensorCompression.compress(floats, deltaEncoded: false))
  }

  @Test func decompressionRefusesContentOfTheWrongSize() throws {
    let tensor = try ReverbTensor([1, 2, 3, 4] as [Float], shape: [4])
    let content = TensorCompression.compress(tensor, deltaEncoded: false)
    #expect(throws: (any Error).self) {
      try TensorCompression.decompress(content, dataType: .float32, shape: [3], deltaEncoded: false)
    }
    #expect(throws: ReverbTensor.ShapeError.self) {
      try TensorCompression.decompress(content, dataType: .float32, shape: [5], deltaEncoded: false)
    }
  }

  @Test func flatTrajectoriesCutColumnsFromChunks() throws {
    let first: UInt64 = 11
    let second: UInt64 = 12
    let chunks: [UInt64: [ReverbTensor]] = [
      first: [
        try ReverbTensor([0, 1, 2] as [Float], shape: [3]),
        try ReverbTensor([10, 11, 12] as [Int32], shape: [3]),
      ],
      second: [
        try ReverbTensor([3, 4] as [Float], shape: [2]), try ReverbTensor([13, 14] as [Int32], shape: [2]),
      ],
    ]
    // Steps 1...3 of the first column across both chunks; the last step of the second, squeezed.
    let layout = FlatTrajectory(columns: [
      .init(slices: [
        .init(chunkKey: first, offset: 1, length: 2, index: 0),
        .init(chunkKey: second, offset: 0, length: 1, index: 0),
      ]),
      .init(slices: [.init(chunkKey: second, offset: 1, length: 1, index: 1)], squeeze: true),
    ])
    #expect(layout.chunkKeys == [first, second])
    let columns = try layout.assemble(chunks: chunks)
    #expect(try columns[0].floats() == [1, 2, 3] && columns[0].shape == [3])
    #expect(try columns[1].int32s() == [14] && columns[1].shape == [])
    #expect(throws: ReverbTensor.ShapeError.self) { try layout.assemble(chunks: [first: chunks[first]!]) }
    let whole = FlatTrajectory(
      columns: (0..<2).map {
        .init(slices: [.init(chunkKey: first, offset: 0, length: 3, index: $0)])
      })
    #expect(try whole.assemble(chunks: chunks) == chunks[first]!)
  }
}
