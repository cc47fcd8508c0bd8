/// Draws one player's view of a game into a byte buffer of `size * size * 3` RGB bytes.
protocol ViewRenderer: Sendable {
  /// The width and height of the view in pixels.
  var size: Int { get }
  /// Draws what player `observer` sees; a player waiting to respawn sees its view darkened.
  func render(_ game: CaptureTheFlag, observer: Int, into pixels: UnsafeMutableBufferPointer<UInt8>)
}

extension UnsafeMutableBufferPointer<UInt8> {
  /// Writes a colour at byte offset `offset`.
  @inline(__always) func put(_ colour: RGB, at offset: Int) {
    self[offset] = colour.red
    self[offset + 1] = colour.green
    self[offset + 2] = colour.blue
  }

  /// Quarters the brightness of every byte: the view of a player waiting to respawn.
  func darken() {
    for index in indices { self[index] >>= 2 }
  }
}
