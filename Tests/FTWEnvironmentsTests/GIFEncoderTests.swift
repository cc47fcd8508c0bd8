import Testing

@testable import FTWEnvironments

@Suite struct GIFEncoderTests {
  @Test func aGIFHasItsHeaderPaletteFramesAndTrailer() throws {
    var gif = try GIFEncoder(width: 3, height: 2, delayCentiseconds: 10)
    try gif.addFrame(rgb: [UInt8](repeating: 255, count: 18))
    try gif.addFrame(rgb: [UInt8](repeating: 0, count: 18))
    let bytes = gif.finished()
    #expect(Array(bytes.prefix(6)) == Array("GIF89a".utf8))
    #expect(bytes[6] == 3 && bytes[7] == 0 && bytes[8] == 2 && bytes[9] == 0)
    #expect(bytes[10] == 0xF7)
    #expect(bytes.last == 0x3B)
    #expect(gif.frameCount == 2)
    // Palette entry 215 is white, 0 black.
    #expect(Array(bytes[(13 + 215 * 3)..<(13 + 216 * 3)]) == [255, 255, 255])
    #expect(bytes.count(where: { $0 == 0x2C }) >= 2)
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
    #expect(recorder.frame().count == recorder.width * recorder.height * 3)
    #expect(recorder.height >= 4 * 84)
  }
}
