/// A capture-the-flag arena: walls and floor on a tile grid, and a base for each of two teams.
///
/// Tiles are unit squares; the tile at column `x`, row `y` covers `[x, x+1) x [y, y+1)` in world
/// coordinates, with `y` growing downwards (row 0 is the top of a drawn map). Everything outside
/// the grid counts as wall. Team 0's base is `A` in a text layout and team 1's is `B`.
///
/// ```swift
/// let arena = try Arena(layout: """
///   #######
///   #A....#
///   #.#.#.#
///   #....B#
///   #######
///   """)
/// arena.isPointSymmetric  // true
/// let generated = Arena.generated(size: .medium, seed: 3)  // 21 x 21, symmetric, all reachable
/// ```
public struct Arena: Sendable, Equatable {
  /// A cell of the grid.
  public struct Cell: Hashable, Sendable, Comparable {
    /// The column, 0 at the left.
    public var x: Int
    /// The row, 0 at the top.
    public var y: Int

    /// Creates a cell.
    public init(x: Int, y: Int) {
      self.x = x
      self.y = y
    }

    public static func < (a: Cell, b: Cell) -> Bool { (a.y, a.x) < (b.y, b.x) }
  }

  /// The number of columns.
  public let width: Int
  /// The number of rows.
  public let height: Int
  /// `true` for a wall, row-major (`y * width + x`).
  public let walls: [Bool]
  /// The base (and flag home) cell of each team: `[team 0, team 1]`.
  public let bases: [Cell]
  /// The cells players of each team spawn on, nearest to the base first.
  public let spawns: [[Cell]]
  /// A short description: the layout's name or the generator's size and seed.
  public let name: String

  /// The largest width or height a layout may have.
  public static let maximumExtent = 128
  /// The smallest width or height a layout may have.
  public static let minimumExtent = 5

  /// Creates an arena from its walls and two bases; throws unless every floor cell can be reached
  /// from the bases and each base has floor around it to spawn on.
  public init(width: Int, height: Int, walls: [Bool], bases: [Cell], name: String) throws(EnvironmentError) {
    let extents = Self.minimumExtent...Self.maximumExtent
    guard extents.contains(width), extents.contains(height) else {
      throw .invalidLayout("width and height must be in \(extents), got \(width) x \(height)")
    }
    guard walls.count == width * height else {
      throw .invalidLayout("\(width) x \(height) needs \(width * height) tiles, got \(walls.count)")
    }
    guard bases.count == 2 else { throw .invalidLayout("an arena has two bases, got \(bases.count)") }
    for base in bases {
      guard (0..<width).contains(base.x), (0..<height).contains(base.y), !walls[base.y * width + base.x]
      else { throw .invalidLayout("base (\(base.x), \(base.y)) is not a floor cell") }
    }
    guard bases[0] != bases[1] else { throw .invalidLayout("the two bases share a cell") }
    self.width = width
    self.height = height
    self.walls = walls
    self.bases = bases
    self.name = name
    let distances = Self.distances(from: bases[0], width: width, height: height, walls: walls)
    for y in 0..<height {
      for x in 0..<width where !walls[y * width + x] && distances[y * width + x] < 0 {
        throw .invalidLayout("floor cell (\(x), \(y)) cannot be reached from base A")
      }
    }
    spawns = (0..<2).map { team in
      Self.spawnCells(around: bases[team], team: team, width: width, height: height, walls: walls)
    }
    guard spawns.allSatisfy({ !$0.isEmpty }) else {
      throw .invalidLayout("each base needs a floor cell within two cells of it to spawn on")
    }
  }

  /// Parses a text layout: `#` wall, `.` floor, `A` team 0's base, `B` team 1's base; one line per
  /// row, all rows the same length. Blank lines at either end are ignored.
  public init(layout: String, name: String = "custom") throws(EnvironmentError) {
    // Any line ending: Swift reads "\r\n" as one character, which is not "\n".
    let lines = layout.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    let isBlank = { (line: Substring) in line.allSatisfy(\.isWhitespace) }
    guard let top = lines.firstIndex(where: { !isBlank($0) }),
      let bottom = lines.lastIndex(where: { !isBlank($0) })
    else { throw .invalidLayout("the layout is empty") }
    let rows = lines[top...bottom]
    let first = rows[top]
    let width = first.count
    guard rows.count <= Self.maximumExtent, width <= Self.maximumExtent else {
      throw .invalidLayout("width and height must be at most \(Self.maximumExtent)")
    }
    var walls: [Bool] = []
    walls.reserveCapacity(width * rows.count)
    var baseA: Cell?
    var baseB: Cell?
    for (y, row) in rows.enumerated() {
      guard row.count == width else {
        throw .invalidLayout("line \(y + 1) has \(row.count) characters, line 1 has \(width)")
      }
      for (x, character) in row.enumerated() {
        switch character {
        case "#": walls.append(true)
        case ".": walls.append(false)
        case "A", "B":
          let isA = character == "A"
          guard (isA ? baseA : baseB) == nil else {
            throw .invalidLayout("line \(y + 1): a second '\(character)'; each base appears once")
          }
          if isA { baseA = Cell(x: x, y: y) } else { baseB = Cell(x: x, y: y) }
          walls.append(false)
        default:
          throw .invalidLayout(
            "line \(y + 1), column \(x + 1): '\(character)' is not one of # (wall), . (floor), A, B (bases)")
        }
      }
    }
    guard let baseA, let baseB else { throw .invalidLayout("a layout needs both bases, 'A' and 'B'") }
    try self.init(width: width, height: rows.count, walls: walls, bases: [baseA, baseB], name: name)
  }

  /// `true` if the tile is a wall or outside the grid.
  @inlinable public func isWall(x: Int, y: Int) -> Bool {
    x < 0 || y < 0 || x >= width || y >= height || walls[y * width + x]
  }

  /// The cell a half-turn about the arena's centre takes `cell` to.
  public func mirrored(_ cell: Cell) -> Cell { Cell(x: width - 1 - cell.x, y: height - 1 - cell.y) }

  /// `true` if a half-turn about the centre maps walls to walls and one base onto the other, so
  /// that neither team has an advantage.
  public var isPointSymmetric: Bool {
    for index in walls.indices where walls[index] != walls[walls.count - 1 - index] { return false }
    return mirrored(bases[0]) == bases[1]
  }

  /// The layout as text, in the format `init(layout:)` reads.
  public var layout: String {
    var text = ""
    for y in 0..<height {
      for x in 0..<width {
        let cell = Cell(x: x, y: y)
        text.append(cell == bases[0] ? "A" : cell == bases[1] ? "B" : walls[y * width + x] ? "#" : ".")
      }
      text.append("\n")
    }
    return text
  }

  /// The number of steps (4-connected) from `origin` to every cell, row-major; -1 where unreachable.
  public func distances(from origin: Cell) -> [Int] {
    Self.distances(from: origin, width: width, height: height, walls: walls)
  }

  static func distances(from origin: Cell, width: Int, height: Int, walls: [Bool]) -> [Int] {
    var distance = [Int](repeating: -1, count: width * height)
    guard (0..<width).contains(origin.x), (0..<height).contains(origin.y),
      !walls[origin.y * width + origin.x]
    else { return distance }
    var queue = [origin.y * width + origin.x]
    queue.reserveCapacity(width * height)
    distance[queue[0]] = 0
    var head = 0
    while head < queue.count {
      let index = queue[head]
      head += 1
      let x = index % width
      let y = index / width
      for (nx, ny) in [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)]
      where nx >= 0 && ny >= 0 && nx < width && ny < height {
        let next = ny * width + nx
        if !walls[next] && distance[next] < 0 {
          distance[next] = distance[index] + 1
          queue.append(next)
        }
      }
    }
    return distance
  }

  /// Floor cells within two cells of `base` (the base itself excluded), nearest first; team 1's
  /// are ordered as the mirror image of team 0's, so symmetric arenas spawn symmetrically.
  private static func spawnCells(around base: Cell, team: Int, width: Int, height: Int, walls: [Bool])
    -> [Cell]
  {
    var cells: [Cell] = []
    for dy in -2...2 {
      for dx in -2...2 where dx != 0 || dy != 0 {
        let cell = Cell(x: base.x + dx, y: base.y + dy)
        if (0..<width).contains(cell.x), (0..<height).contains(cell.y), !walls[cell.y * width + cell.x] {
          cells.append(cell)
        }
      }
    }
    func key(_ cell: Cell) -> (Int, Int, Int, Int) {
      let dx = cell.x - base.x
      let dy = cell.y - base.y
      let (ox, oy) = team == 0 ? (dx, dy) : (-dx, -dy)
      return (max(abs(dx), abs(dy)), abs(dx) + abs(dy), oy, ox)
    }
    return cells.sorted { key($0) < key($1) }
  }
}
