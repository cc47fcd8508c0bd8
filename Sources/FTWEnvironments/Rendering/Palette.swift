/// An RGB colour.
public struct RGB: Sendable, Equatable {
  public var red: UInt8
  public var green: UInt8
  public var blue: UInt8

  /// Creates a colour.
  public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// The colour with each channel multiplied by `light` in 0...1.
  @inlinable public func lit(_ light: Float) -> RGB {
    RGB(UInt8(Float(red) * light), UInt8(Float(green) * light), UInt8(Float(blue) * light))
  }
}

/// What a tile is, for drawing: floor, wall, or the floor around a team's base.
enum TileKind: UInt8 {
  case floor, wall, base0, base1

  /// The kind of every cell of an arena, row-major; base areas are the floor within one cell of a
  /// base.
  static func kinds(of arena: Arena) -> [TileKind] {
    var kinds = arena.walls.map { $0 ? TileKind.wall : .floor }
    for (team, base) in arena.bases.enumerated() {
      for y in (base.y - 1)...(base.y + 1) {
        for x in (base.x - 1)...(base.x + 1) where !arena.isWall(x: x, y: y) {
          kinds[y * arena.width + x] = team == 0 ? .base0 : .base1
        }
      }
    }
    return kinds
  }
}

/// The colours of the views. They are relative to the observer: its own team is blue and the
/// other red, whichever side it plays, so one agent can play either side.
struct Palette: Sendable {
  static let floor = RGB(112, 112, 104)
  static let wall = RGB(40, 40, 52)
  static let ownBase = RGB(64, 84, 168)
  static let otherBase = RGB(168, 64, 60)
  static let observer = RGB(120, 220, 255)
  static let teammate = RGB(40, 96, 255)
  static let opponent = RGB(235, 40, 40)
  static let ownFlag = RGB(0, 230, 230)
  static let otherFlag = RGB(255, 170, 0)
  static let beam = RGB(255, 255, 140)
  static let ceiling = RGB(84, 88, 104)
  static let ownWall = RGB(120, 130, 170)
  static let otherWall = RGB(170, 125, 120)

  /// The colour of each tile kind for an observer of `team`, indexed by `TileKind.rawValue`.
  static func tileColours(forTeam team: Int) -> [RGB] {
    let (base0, base1) = team == 0 ? (ownBase, otherBase) : (otherBase, ownBase)
    return [floor, wall, base0, base1]
  }

  /// The colour of a player seen by an observer.
  static func player(_ index: Int, team: Int, seenBy observer: Int, observerTeam: Int) -> RGB {
    index == observer ? Self.observer : team == observerTeam ? teammate : opponent
  }

  /// The colour of a team's flag seen by an observer of `observerTeam`.
  static func flag(ofTeam team: Int, observerTeam: Int) -> RGB {
    team == observerTeam ? ownFlag : otherFlag
  }
}
