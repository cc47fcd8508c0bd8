import Testing

@testable import FTWEnvironments

@Suite struct GIFEncoderTests {
  @Test func aGIFHasItsHeaderFramesAndTrailer() throws {
    var gif = try GIFEncoder(width: 3, height: 2, delayCentiseconds: 10)
    try gif.addFrame(rgb: [UInt8](repeating: 255, count: 18))
    try gif.addFrame(rgb: [UInt8](repeating: 0, count: 18))
    let bytes = gif.finished()
    #expect(Array(bytes.prefix(6)) == Array("GIF89a".utf8))
    #expect(bytes[6] == 3 && bytes[7] == 0 && bytes[8] == 2 && bytes[9] == 0)
    #expect(bytes.last == 0x3B)
    #expect(gif.frameCount == 2)
  }

  @Test func framesWithFewColoursKeepThemExactly() {
    let colours: [[UInt8]] = [[255, 0, 0], [0, 255, 0], [7, 7, 7], [255, 255, 255]]
    let rgb = (0..<40).flatMap { colours[$0 % 4] }
    let (palette, indices) = GIFEncoder.quantize(rgb)
    for pixel in 0..<40 {
      let index = Int(indices[pixel])
      #expect(Array(palette[(3 * index)..<(3 * index + 3)]) == colours[pixel % 4])
    }
  }

  @Test func framesWithManyColoursKeepTheCommonestAndMapTheRestNearby() {
    // 4096 colours: the 256 commonest groups become the palette, the rest take the nearest entry.
    var rgb: [UInt8] = []
    for red in stride(from: 0, to: 256, by: 16) {
      for green in stride(from: 0, to: 256, by: 16) {
        for blue in stride(from: 0, to: 256, by: 16) { rgb += [UInt8(red), UInt8(green), UInt8(blue)] }
      }
    }
    rgb += [UInt8](repeating: 200, count: 3 * 5000)  // one colour far commoner than the rest
    let (palette, indices) = GIFEncoder.quantize(rgb)
    #expect(Set(indices).count == 256)
    let last = Int(indices.last!)
    #expect(Array(palette[(3 * last)..<(3 * last + 3)]) == [200, 200, 200])
    func distance(_ pixel: Int, _ entry: Int) -> Int {
      (0..<3).map { (Int(palette[3 * entry + $0]) >> 3 - Int(rgb[3 * pixel + $0]) >> 3) }.map { $0 * $0 }
        .reduce(0, +)
    }
    for pixel in stride(from: 0, to: 4096, by: 7) {
      let nearest = (0..<256).map { distance(pixel, $0) }.min()!
      #expect(distance(pixel, Int(indices[pixel])) == nearest)
    }
  }

  @Test func badSizesAreRefused() throws {
    #expect(throws: EnvironmentError.self) { try GIFEncoder(width: 0, height: 2, delayCentiseconds: 1) }
    #expect(throws: EnvironmentError.self) { try GIFEncoder(width: 70_000, height: 2, delayCentiseconds: 1) }
    var gif = try GIFEncoder(width: 2, height: 2, delayCentiseconds: 1)
    #expect(throws: EnvironmentError.self) { try gif.addFrame(rgb: [0, 0, 0]) }
  }

  @Test func aRecordingHasAFramePerCapture() throws {
    let game = try makeGame(teamSize: 2)
    var recorder = try GameRecorder(game: game)
    try recorder.capture()
    try game.step(forward)
    try recorder.capture()
    #expect(recorder.frameCount == 2)
    #expect(recorder.height >= 4 * 84)
    #expect(recorder.width == 9 * recorder.tilePixels + 2 + 2 * 86)
    // A capture for each team shows as a square at either end of the score bar; a beam in yellow.
    game.place(0, x: 7.5, y: 4.2)
    try game.step()
    game.place(0, x: 1.5, y: 1.6)
    game.place(2, x: 1.5, y: 1.2, heading: 0)
    try game.step(tag)
    #expect(game.teamScores == [1, 0])
    let frame = recorder.frame()
    #expect(frame.count == recorder.width * recorder.height * 3)
    #expect(Array(frame[(3 * (2 * recorder.width + 2))...].prefix(3)) == [40, 96, 255])
    let beams = stride(from: 0, to: frame.count, by: 3).filter { frame[$0..<($0 + 3)] == [255, 255, 140] }
    #expect(!beams.isEmpty)
    #expect(throws: EnvironmentError.self) { try GameRecorder(game: game, framesPerSecond: 0) }
  }
}
