/// The first-person view: a ray-cast 3D picture from the player's eyes, 90 degrees wide. Walls are
/// one tile high with the eyes at half height; walls and floor fade with distance, walls on each
/// team's half of the arena are tinted with its colour, and the floor around each base too. Players
/// and flags stand as upright sprites, hidden behind nearer walls.
struct FirstPersonRenderer: ViewRenderer {
  let size: Int
  /// How far rays look, in tiles.
  let depth: Float = 40
  /// The distance of each floor row below the horizon (index: row - size / 2).
  private let floorDistances: [Float]
  /// The colour of each ceiling row, lighter towards the horizon.
  private let ceilingColours: [RGB]

  init(size: Int) {
    self.size = size
    // At distance d a tile spans size / (2d) pixels and the floor lies half a tile below the eyes.
    floorDistances = (0..<(size - size / 2)).map { offset in Float(size) / (4 * (Float(offset) + 0.5)) }
    let half = Float(size) / 2
    ceilingColours = (0..<(size / 2)).map { row in Palette.ceiling.lit(0.75 + 0.25 * Float(row) / half) }
  }

  /// How much light reaches the eye from distance `distance`.
  @inline(__always) private func light(_ distance: Float) -> Float { 1 / (1 + 0.09 * distance) }

  func render(_ game: CaptureTheFlag, observer: Int, into pixels: UnsafeMutableBufferPointer<UInt8>) {
    let me = game.players[observer]
    let forward = me.direction
    let plane = Point(x: -forward.y, y: forward.x)
    let arena = game.arena
    let tileColours = Palette.tileColours(forTeam: me.team)
    let horizon = size / 2
    let half = Float(size) / 2
    var depthBuffer = [Float](repeating: depth, count: size)
    let centreX = Float(arena.width) / 2
    let centreY = Float(arena.height) / 2
    let ownBase = Point(centreOf: arena.bases[me.team])
    let ownSide = (x: ownBase.x - centreX, y: ownBase.y - centreY)

    // Ceiling and floor row by row; the floor row at distance d walks the points the columns' rays
    // reach at d, evenly spaced across the view.
    for row in 0..<horizon {
      for column in 0..<size { pixels.put(ceilingColours[row], at: (row * size + column) * 3) }
    }
    let floorColours = floorDistances.flatMap { distance in tileColours.map { $0.lit(light(distance)) } }
    game.tileKinds.withUnsafeBufferPointer { kinds in
      floorColours.withUnsafeBufferPointer { floorColours in
        for row in horizon..<size {
          let distance = floorDistances[row - horizon]
          let firstCamera = 1 / Float(size) - 1
          let start = Point(
            x: me.position.x + (forward.x + plane.x * firstCamera) * distance,
            y: me.position.y + (forward.y + plane.y * firstCamera) * distance)
          let step = Point(x: plane.x * distance * 2 / Float(size), y: plane.y * distance * 2 / Float(size))
          let colours = UnsafeBufferPointer(
            rebasing: floorColours[((row - horizon) * 4)..<((row - horizon) * 4 + 4)])
          pixels.drawTiles(
            from: start, step: step, count: size, at: row * size * 3, of: arena, kinds: kinds,
            colours: colours,
            outside: Int(TileKind.wall.rawValue))
        }
      }
    }
    // Walls column by column over them.
    for column in 0..<size {
      let cameraX = 2 * (Float(column) + 0.5) / Float(size) - 1
      let ray = Point(x: forward.x + plane.x * cameraX, y: forward.y + plane.y * cameraX)
      let hit = arena.castRay(from: me.position, direction: ray, maximum: depth)
      let distance = max(hit.distance, 1e-3)
      depthBuffer[column] = distance
      let wallHeight = Int(min(half / distance, Float(size)).rounded())
      let top = max(0, horizon - wallHeight / 2)
      let bottom = min(size, horizon + (wallHeight + 1) / 2)
      // Walls are tinted by the half of the arena they stand on, relative to the observer.
      let wallX = Float(hit.cell.x) + 0.5 - centreX
      let wallY = Float(hit.cell.y) + 0.5 - centreY
      var wall = wallX * ownSide.x + wallY * ownSide.y > 0 ? Palette.ownWall : Palette.otherWall
      if abs(wallX) < 0.6 && abs(wallY) < 0.6 { wall = Palette.floor }
      let wallColour =
        hit.hitWall ? wall.lit(light(distance) * (hit.crossedVerticalFace ? 1 : 0.75)) : Palette.ceiling
      for row in top..<bottom { pixels.put(wallColour, at: (row * size + column) * 3) }
    }
    drawSprites(
      game, observer: observer, forward: forward, plane: plane, depthBuffer: depthBuffer, into: pixels)
    if !me.isActive { pixels.darken() }
  }

  /// An upright rectangle standing on the floor: a player or a flag.
  private struct Sprite {
    var position: Point
    var width: Float
    var height: Float
    /// Height of its bottom above the floor.
    var lift: Float
    var colour: RGB
  }

  private func drawSprites(
    _ game: CaptureTheFlag, observer: Int, forward: Point, plane: Point, depthBuffer: [Float],
    into pixels: UnsafeMutableBufferPointer<UInt8>
  ) {
    let me = game.players[observer]
    var sprites: [Sprite] = []
    for team in 0..<2 {
      if let point = game.flagPosition(of: team) {
        sprites.append(
          Sprite(
            position: point, width: 0.25, height: 0.9, lift: 0,
            colour: Palette.flag(ofTeam: team, observerTeam: me.team)))
      }
    }
    for (index, player) in game.players.enumerated() where index != observer && player.isActive {
      let colour = Palette.player(index, team: player.team, seenBy: observer, observerTeam: me.team)
      sprites.append(Sprite(position: player.position, width: 0.5, height: 0.75, lift: 0, colour: colour))
      if player.carriesFlag {
        let flag = Palette.flag(ofTeam: 1 - player.team, observerTeam: me.team)
        sprites.append(Sprite(position: player.position, width: 0.2, height: 0.3, lift: 0.75, colour: flag))
      }
    }
    // Far to near, so nearer sprites cover farther ones; nothing nearer than 0.4 tiles (an opponent
    // cannot come closer than two radii; a teammate passing through is not drawn).
    let placed = sprites.map { sprite -> (depth: Float, side: Float, sprite: Sprite) in
      let dx = sprite.position.x - me.position.x
      let dy = sprite.position.y - me.position.y
      return (dx * forward.x + dy * forward.y, dx * plane.x + dy * plane.y, sprite)
    }.filter { $0.depth > 0.4 }.sorted { $0.depth > $1.depth }
    let half = Float(size) / 2
    for (spriteDepth, side, sprite) in placed {
      let pixelsPerTile = half / spriteDepth
      let centre = half * (1 + side / spriteDepth)
      let left = max(0, Int((centre - sprite.width / 2 * pixelsPerTile).rounded()))
      let right = min(size, Int((centre + sprite.width / 2 * pixelsPerTile).rounded()))
      let floorRow = half + 0.5 * pixelsPerTile
      let bottom = min(size, Int((floorRow - sprite.lift * pixelsPerTile).rounded()))
      let top = max(0, Int((floorRow - (sprite.lift + sprite.height) * pixelsPerTile).rounded()))
      guard left < right, top < bottom else { continue }
      let colour = sprite.colour.lit(light(spriteDepth))
      for column in left..<right where spriteDepth < depthBuffer[column] {
        for row in top..<bottom { pixels.put(colour, at: (row * size + column) * 3) }
      }
    }
  }
}
