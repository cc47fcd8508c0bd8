/// The top-down view: the arena seen from above, turned with the player so that it always looks
/// up the picture, showing `tilesAcross` tiles across with the player near the bottom, so most of
/// the view lies ahead.
struct TopDownRenderer: ViewRenderer {
  let size: Int
  /// Tiles from the left edge of the view to the right.
  let tilesAcross: Float = 11
  /// The fraction of the view's height above the player.
  let eyeFraction: Float = 0.8

  func render(_ game: CaptureTheFlag, observer: Int, into pixels: UnsafeMutableBufferPointer<UInt8>) {
    let me = game.players[observer]
    let scale = Float(size) / tilesAcross
    let eyeRow = Float(size) * eyeFraction
    let forward = me.direction
    let right = Point(x: -forward.y, y: forward.x)
    drawTiles(game, me: me, scale: scale, eyeRow: eyeRow, right: right, into: pixels)

    // Anything in the arena, in view coordinates.
    func project(_ point: Point) -> (column: Float, row: Float) {
      let dx = point.x - me.position.x
      let dy = point.y - me.position.y
      return (
        Float(size) / 2 + (dx * right.x + dy * right.y) * scale,
        eyeRow - (dx * forward.x + dy * forward.y) * scale
      )
    }
    func disc(_ point: Point, radius: Float, _ colour: RGB) {
      let (column, row) = project(point)
      let r = radius * scale
      let top = max(0, Int((row - r).rounded(.down)))
      let bottom = min(size - 1, Int((row + r).rounded(.up)))
      let left = max(0, Int((column - r).rounded(.down)))
      let rightEdge = min(size - 1, Int((column + r).rounded(.up)))
      guard top <= bottom, left <= rightEdge else { return }
      for y in top...bottom {
        let dy = Float(y) + 0.5 - row
        for x in left...rightEdge {
          let dx = Float(x) + 0.5 - column
          if dx * dx + dy * dy <= r * r { pixels.put(colour, at: (y * size + x) * 3) }
        }
      }
    }

    let team = me.team
    for flagTeam in 0..<2 {
      if let point = game.flagPosition(of: flagTeam) {
        disc(point, radius: 0.3, Palette.flag(ofTeam: flagTeam, observerTeam: team))
      }
    }
    for player in game.players {
      guard let length = player.beamLength else { continue }
      let samples = Int(length * scale * 2) + 1
      for sample in 0..<samples {
        let t = Float(sample) / Float(samples) * length
        let (column, row) = project(
          Point(x: player.position.x + player.direction.x * t, y: player.position.y + player.direction.y * t))
        let x = Int(column.rounded(.down))
        let y = Int(row.rounded(.down))
        if x >= 0, y >= 0, x < size, y < size { pixels.put(Palette.beam, at: (y * size + x) * 3) }
      }
    }
    for (index, player) in game.players.enumerated() where player.isActive && index != observer {
      disc(
        player.position, radius: game.rules.playerRadius + 0.05,
        Palette.player(index, team: player.team, seenBy: observer, observerTeam: team))
      if player.carriesFlag {
        disc(player.position, radius: 0.15, Palette.flag(ofTeam: 1 - player.team, observerTeam: team))
      }
    }
    disc(me.position, radius: game.rules.playerRadius + 0.05, Palette.observer)
    if me.carriesFlag { disc(me.position, radius: 0.15, Palette.flag(ofTeam: 1 - team, observerTeam: team)) }
    if !me.isActive { pixels.darken() }
  }

  /// Fills every pixel with the colour of the tile under it, row by row.
  private func drawTiles(
    _ game: CaptureTheFlag, me: PlayerState, scale: Float, eyeRow: Float, right: Point,
    into pixels: UnsafeMutableBufferPointer<UInt8>
  ) {
    let forward = me.direction
    let step = Point(x: right.x / scale, y: right.y / scale)
    let firstSide = (0.5 - Float(size) / 2) / scale
    game.tileKinds.withUnsafeBufferPointer { kinds in
      Palette.tileColours(forTeam: me.team).withUnsafeBufferPointer { colours in
        for row in 0..<size {
          let ahead = (eyeRow - (Float(row) + 0.5)) / scale
          let start = Point(
            x: me.position.x + forward.x * ahead + right.x * firstSide,
            y: me.position.y + forward.y * ahead + right.y * firstSide)
          pixels.drawTiles(
            from: start, step: step, count: size, at: row * size * 3, of: game.arena, kinds: kinds,
            colours: colours, outside: Int(TileKind.wall.rawValue))
        }
      }
    }
  }

}
