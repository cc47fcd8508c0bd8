/// Draws frames of a game for a recording: the whole arena from above on the left (team 0 blue,
/// team 1 red), a score bar and a clock above it, and every player's top-down and first-person
/// views beside it, one row per player (team 0's players first).
///
/// ```swift
/// var recorder = try GameRecorder(game: game, framesPerSecond: 15)
/// try recorder.capture()  // after reset() and after each step you want to keep
/// let gif = recorder.gif()
/// ```
public struct GameRecorder {
  /// The game recorded.
  public let game: CaptureTheFlag
  /// Pixels per tile of the arena map.
  public let tilePixels: Int
  /// The frame's width in pixels.
  public let width: Int
  /// The frame's height in pixels.
  public let height: Int
  private let viewSize = 84
  private let gap = 2
  private let barHeight = 8
  private let topDown: TopDownRenderer
  private let firstPerson: FirstPersonRenderer
  private var encoder: GIFEncoder

  /// Starts a recording of `game`; the arena's size must stay the same for the whole recording.
  public init(game: CaptureTheFlag, framesPerSecond: Int = 15) throws(EnvironmentError) {
    guard (1...100).contains(framesPerSecond) else {
      throw .invalidConfiguration("framesPerSecond must be in 1...100, got \(framesPerSecond)")
    }
    self.game = game
    let viewsHeight = game.playerCount * (viewSize + gap)
    tilePixels = max(4, min(16, (viewsHeight - barHeight) / max(game.arena.width, game.arena.height)))
    width = game.arena.width * tilePixels + gap + 2 * (viewSize + gap)
    height = max(barHeight + game.arena.height * tilePixels, viewsHeight)
    topDown = TopDownRenderer(size: viewSize)
    firstPerson = FirstPersonRenderer(size: viewSize)
    encoder = try GIFEncoder(width: width, height: height, delayCentiseconds: max(1, 100 / framesPerSecond))
  }

  /// The number of frames captured.
  public var frameCount: Int { encoder.frameCount }

  /// Draws the game's current state as the next frame.
  public mutating func capture() throws(EnvironmentError) {
    guard game.arena.width * tilePixels + gap + 2 * (viewSize + gap) == width else {
      throw .invalidConfiguration("the arena changed size during a recording; record one game at a time")
    }
    try encoder.addFrame(rgb: frame())
  }

  /// The recording as a GIF file.
  public func gif() -> [UInt8] { encoder.finished() }

  /// The current state as `width * height * 3` RGB bytes.
  public func frame() -> [UInt8] {
    var frame = [UInt8](repeating: 24, count: width * height * 3)
    frame.withUnsafeMutableBufferPointer { pixels in
      let canvas = Canvas(pixels: pixels, width: width, height: height)
      drawScoreBar(on: canvas)
      drawMap(on: canvas)
      var view = [UInt8](repeating: 0, count: viewSize * viewSize * 3)
      for player in 0..<game.playerCount {
        for (slot, renderer) in [topDown as any ViewRenderer, firstPerson].enumerated() {
          view.withUnsafeMutableBufferPointer { renderer.render(game, observer: player, into: $0) }
          let left = game.arena.width * tilePixels + gap + slot * (viewSize + gap)
          let top = player * (viewSize + gap)
          for row in 0..<viewSize {
            let from = row * viewSize * 3
            let to = ((top + row) * width + left) * 3
            for byte in 0..<(viewSize * 3) { pixels[to + byte] = view[from + byte] }
          }
        }
      }
    }
    return frame
  }

  /// The left part of ``frame()`` alone: the score bar and clock over the whole arena, as
  /// `mapSize.width * mapSize.height * 3` RGB bytes.
  public func mapFrame() -> [UInt8] {
    let (mapWidth, mapHeight) = mapSize
    var frame = [UInt8](repeating: 24, count: mapWidth * mapHeight * 3)
    frame.withUnsafeMutableBufferPointer { pixels in
      let canvas = Canvas(pixels: pixels, width: mapWidth, height: mapHeight)
      drawScoreBar(on: canvas)
      drawMap(on: canvas)
    }
    return frame
  }

  /// The size of ``mapFrame()`` in pixels.
  public var mapSize: (width: Int, height: Int) {
    (game.arena.width * tilePixels, barHeight + game.arena.height * tilePixels)
  }

  /// Pixels being drawn, `width * height * 3` RGB bytes.
  private struct Canvas {
    let pixels: UnsafeMutableBufferPointer<UInt8>
    let width: Int
    let height: Int

    func fill(x: Int, y: Int, width w: Int, height h: Int, _ colour: RGB) {
      for row in max(0, y)..<max(max(0, y), min(height, y + h)) {
        for column in max(0, x)..<max(max(0, x), min(width, x + w)) {
          pixels.put(colour, at: (row * width + column) * 3)
        }
      }
    }
  }

  /// A square per capture, blue for team 0 from the left and red for team 1 from the right, over a
  /// thin bar of the game's elapsed time.
  private func drawScoreBar(on canvas: Canvas) {
    let mapWidth = game.arena.width * tilePixels
    for capture in 0..<min(game.teamScores[0], mapWidth / 12) {
      canvas.fill(x: 1 + capture * 6, y: 0, width: 5, height: 5, Palette.teammate)
    }
    for capture in 0..<min(game.teamScores[1], mapWidth / 12) {
      canvas.fill(x: mapWidth - 6 - capture * 6, y: 0, width: 5, height: 5, Palette.opponent)
    }
    let elapsed = mapWidth * game.stepCount / max(1, game.configuration.stepsPerGame)
    canvas.fill(x: 0, y: 6, width: elapsed, height: 1, Palette.beam)
  }

  private func drawMap(on canvas: Canvas) {
    let colours = Palette.tileColours(forTeam: 0)
    let arena = game.arena
    for y in 0..<arena.height {
      for x in 0..<arena.width {
        let kind = game.tileKinds[y * arena.width + x]
        canvas.fill(
          x: x * tilePixels, y: barHeight + y * tilePixels, width: tilePixels, height: tilePixels,
          colours[Int(kind.rawValue)])
      }
    }
    let scale = Float(tilePixels)
    func disc(_ point: Point, radius: Float, _ colour: RGB) {
      let centreX = point.x * scale
      let centreY = point.y * scale + Float(barHeight)
      let r = max(1.5, radius * scale)
      for row in Int(centreY - r)...Int(centreY + r) {
        for column in Int(centreX - r)...Int(centreX + r) {
          let dx = Float(column) + 0.5 - centreX
          let dy = Float(row) + 0.5 - centreY
          if dx * dx + dy * dy <= r * r, row >= 0, column >= 0, row < canvas.height,
            column < arena.width * tilePixels
          {
            canvas.pixels.put(colour, at: (row * canvas.width + column) * 3)
          }
        }
      }
    }
    for team in 0..<2 {
      if let point = game.flagPosition(of: team) {
        disc(point, radius: 0.3, Palette.flag(ofTeam: team, observerTeam: 0))
      }
    }
    for player in game.players {
      guard let length = player.beamLength else { continue }
      for step in 0...Int(length * scale) {
        let t = Float(step) / scale
        disc(
          Point(x: player.position.x + player.direction.x * t, y: player.position.y + player.direction.y * t),
          radius: 0, Palette.beam)
      }
    }
    for player in game.players where player.isActive {
      disc(
        player.position, radius: game.rules.playerRadius + 0.05,
        player.team == 0 ? Palette.teammate : Palette.opponent)
      let nose = Point(
        x: player.position.x + player.direction.x * 0.3, y: player.position.y + player.direction.y * 0.3)
      disc(nose, radius: 0.08, Palette.observer)
      if player.carriesFlag {
        disc(player.position, radius: 0.15, Palette.flag(ofTeam: 1 - player.team, observerTeam: 0))
      }
    }
  }
}
