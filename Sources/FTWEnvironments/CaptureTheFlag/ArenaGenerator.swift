/// The sizes of generated arenas.
public enum ArenaSize: String, CaseIterable, Sendable {
  /// 11 x 11 tiles: the bases a few steps apart, for agents that are starting out.
  case tiny
  /// 15 x 15 tiles.
  case small
  /// 21 x 21 tiles.
  case medium
  /// 31 x 31 tiles.
  case large

  /// The width and height in tiles (odd, so the centre is a tile of its own).
  public var extent: Int {
    switch self {
    case .tiny: 11
    case .small: 15
    case .medium: 21
    case .large: 31
    }
  }

  /// The number of rooms carved on each half of the arena.
  var roomsPerHalf: Int {
    switch self {
    case .tiny: 2
    case .small: 3
    case .medium: 5
    case .large: 9
    }
  }
}

extension Arena {
  /// A procedurally generated arena: rooms, corridors and an open area at the centre, carved in
  /// point-symmetric pairs so neither team has an advantage. Equal sizes and seeds give equal
  /// arenas.
  ///
  /// Every floor cell is reachable: each room is joined by a corridor to the one before it, the
  /// first to the base room and the last to the open centre, and the mirror images form the same
  /// chain from the other base to the same centre. A wide corridor's second lane runs diagonally
  /// beside its first and can leave a cell touching it only at a corner; such cells are walled up
  /// again. (`Arena`'s initialiser checks it again.)
  public static func generated(size: ArenaSize, seed: UInt64) -> Arena {
    var carver = SymmetricCarver(extent: size.extent, seed: seed)
    carver.carveArena(rooms: size.roomsPerHalf)
    carver.wallUpUnreachableCells()
    do {
      return try Arena(
        width: carver.extent, height: carver.extent, walls: carver.walls,
        bases: [carver.base, carver.mirrored(carver.base)], name: "\(size.rawValue) #\(seed)")
    } catch {
      preconditionFailure(
        "the generator made an unplayable arena (\(error)) from seed \(seed); this is a bug")
    }
  }
}

/// Carves floor out of solid wall, always a cell and its mirror image together.
private struct SymmetricCarver {
  let extent: Int
  var walls: [Bool]
  var generator: SplitMix64
  var base = Arena.Cell(x: 0, y: 0)

  init(extent: Int, seed: UInt64) {
    self.extent = extent
    walls = [Bool](repeating: true, count: extent * extent)
    generator = SplitMix64(seed: seed)
  }

  var centre: Arena.Cell { Arena.Cell(x: extent / 2, y: extent / 2) }

  func mirrored(_ cell: Arena.Cell) -> Arena.Cell {
    Arena.Cell(x: extent - 1 - cell.x, y: extent - 1 - cell.y)
  }

  /// Carves a cell and its mirror; the border stays wall.
  mutating func carve(_ cell: Arena.Cell) {
    guard cell.x >= 1, cell.y >= 1, cell.x < extent - 1, cell.y < extent - 1 else { return }
    walls[cell.y * extent + cell.x] = false
    let image = mirrored(cell)
    walls[image.y * extent + image.x] = false
  }

  mutating func carveRoom(x: Int, y: Int, width: Int, height: Int) {
    for row in y..<(y + height) {
      for column in x..<(x + width) { carve(Arena.Cell(x: column, y: row)) }
    }
  }

  /// An L-shaped corridor between two cells, horizontal or vertical leg first at random.
  mutating func carveCorridor(from start: Arena.Cell, to end: Arena.Cell, wide: Bool) {
    let horizontalFirst = generator.next(below: 2) == 0
    let corner = horizontalFirst ? Arena.Cell(x: end.x, y: start.y) : Arena.Cell(x: start.x, y: end.y)
    for (a, b) in [(start, corner), (corner, end)] {
      for y in min(a.y, b.y)...max(a.y, b.y) {
        for x in min(a.x, b.x)...max(a.x, b.x) {
          carve(Arena.Cell(x: x, y: y))
          if wide { carve(Arena.Cell(x: x + 1, y: y + 1)) }
        }
      }
    }
  }

  /// Turns back into wall every floor cell that cannot be reached from the base. The floor
  /// reachable from the base holds both chains of rooms (they meet at the centre), so it is
  /// point-symmetric and what is walled up is too.
  mutating func wallUpUnreachableCells() {
    var reached = [Bool](repeating: false, count: walls.count)
    var frontier = [base.y * extent + base.x]
    reached[frontier[0]] = true
    while let index = frontier.popLast() {
      for next in [index - 1, index + 1, index - extent, index + extent] where !walls[next] && !reached[next]
      {
        reached[next] = true
        frontier.append(next)
      }
    }
    for index in walls.indices where !walls[index] && !reached[index] { walls[index] = true }
  }

  mutating func carveArena(rooms: Int) {
    let inner = extent - 2
    // The base room sits in the first quarter; team 1's is its mirror image.
    let baseRoom = (width: generator.next(in: 3...4), height: generator.next(in: 3...4))
    let baseX = generator.next(in: 1...max(1, inner / 4 - 1))
    let baseY = generator.next(in: 1...max(1, inner / 4 - 1))
    carveRoom(x: baseX, y: baseY, width: baseRoom.width, height: baseRoom.height)
    base = Arena.Cell(x: baseX + baseRoom.width / 2, y: baseY + baseRoom.height / 2)
    // An open area at the centre, symmetric by itself.
    let half = generator.next(in: 1...max(1, extent / 8))
    carveRoom(x: centre.x - half, y: centre.y - half, width: 2 * half + 1, height: 2 * half + 1)
    // Rooms anywhere, joined in a chain from the base room to the centre.
    var previous = base
    let largest = max(2, extent / 5)
    for _ in 0..<rooms {
      let width = generator.next(in: 2...largest)
      let height = generator.next(in: 2...largest)
      let x = generator.next(in: 1...(inner - width + 1))
      let y = generator.next(in: 1...(inner - height + 1))
      carveRoom(x: x, y: y, width: width, height: height)
      let roomCentre = Arena.Cell(x: x + width / 2, y: y + height / 2)
      carveCorridor(from: previous, to: roomCentre, wide: generator.next(below: 4) == 0)
      previous = roomCentre
    }
    carveCorridor(from: previous, to: centre, wide: false)
  }
}
