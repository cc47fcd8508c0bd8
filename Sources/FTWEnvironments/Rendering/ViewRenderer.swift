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

extension UnsafeMutableBufferPointer<UInt8> {
  /// Colours `count` pixels from byte `byte` on, each with the colour of the tile under its world
  /// point: the first at `start`, each next one `step` further. Tiles outside the arena take
  /// `colours[outside]`.
  ///
  /// Coordinates are fixed point (16 fractional bits, offset by a whole number of tiles so they
  /// stay positive), so the loop is integer adds, shifts and one table lookup a pixel.
  func drawTiles(
    from start: Point, step: Point, count: Int, at byte: Int, of arena: Arena,
    kinds: UnsafeBufferPointer<TileKind>, colours: UnsafeBufferPointer<RGB>, outside: Int
  ) {
    let one: Float = 65536
    let offset = Int32(Arena.maximumExtent)
    let width = UInt32(arena.width)
    let height = UInt32(arena.height)
    let stepX = Int32((step.x * one).rounded())
    let stepY = Int32((step.y * one).rounded())
    var x = Int32((start.x * one).rounded()) &+ offset << 16
    var y = Int32((start.y * one).rounded()) &+ offset << 16
    var byte = byte
    for _ in 0..<count {
      // Unsigned, a column or line left of or above the arena wraps to a large number.
      let column = UInt32(bitPattern: x >> 16 &- offset)
      let line = UInt32(bitPattern: y >> 16 &- offset)
      let kind = column < width && line < height ? Int(kinds[Int(line * width + column)].rawValue) : outside
      let colour = colours[kind]
      self[byte] = colour.red
      self[byte &+ 1] = colour.green
      self[byte &+ 2] = colour.blue
      byte &+= 3
      x &+= stepX
      y &+= stepY
    }
  }
}
