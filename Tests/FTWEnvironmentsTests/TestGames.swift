@testable import FTWEnvironments

/// A small open arena with the bases in opposite corners: A at (1, 1), B at (7, 4).
let openTestLayout = """
  #########
  #A......#
  #.......#
  #.......#
  #......B#
  #########
  """

/// The same arena with a wall between (3, 2) and (5, 2).
let walledTestLayout = """
  #########
  #A......#
  #...#...#
  #.......#
  #......B#
  #########
  """

/// Actions by name, as component indices.
let stay = [1, 1, 2, 0]
let tag = [1, 1, 2, 1]
let forward = [2, 1, 2, 0]

/// A started game on a fixed layout with tiny views, so tests run fast.
func makeGame(
  layout: String = openTestLayout, teamSize: Int = 1, stepsPerGame: Int = 1000,
  rules: CaptureTheFlagRules = CaptureTheFlagRules(), view: ViewKind = .topDown, viewSize: Int = 8
) throws -> CaptureTheFlag {
  let arena = try Arena(layout: layout)
  let game = try CaptureTheFlag(
    configuration: CaptureTheFlagConfiguration(
      arena: .fixed(arena), teamSize: teamSize, view: view, viewSize: viewSize, stepsPerGame: stepsPerGame,
      rules: rules),
    seed: 1)
  game.reset()
  return game
}

extension CaptureTheFlag {
  /// Puts a player at a point facing a heading.
  func place(_ player: Int, x: Float, y: Float, heading: Int = 0) {
    players[player].position = Point(x: x, y: y)
    players[player].heading = heading
  }

  /// Steps with the same action for every player unless given per player.
  @discardableResult
  func step(_ action: [Int] = stay, overriding: [Int: [Int]] = [:]) throws -> [TimeStep] {
    try step((0..<playerCount).map { overriding[$0] ?? action })
  }
}

extension TimeStep {
  /// The count of one event.
  func count(_ event: GameEvent) -> Float { observation.events[event.rawValue] }

  /// The events that happened, by name.
  var happened: Set<GameEvent> { Set(GameEvent.allCases.filter { count($0) > 0 }) }
}
