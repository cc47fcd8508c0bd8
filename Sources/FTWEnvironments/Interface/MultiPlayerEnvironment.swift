/// A team game for several players, with `dm_env`'s conventions.
///
/// `reset()` starts an episode and returns one `.first` time step per player; `step(_:)` takes one
/// action per player (an index per component of `actionSpec`) and returns one time step per player.
/// After a `.last` step, the next `step(_:)` starts a new episode and returns `.first` steps, as
/// `dm_env` does. Training loops use only this protocol, so any team game can be trained on.
///
/// ```swift
/// var game = try CaptureTheFlag(configuration: .init(teamSize: 2), seed: 7)
/// var steps = game.reset()
/// while steps[0].stepType != .last {
///   steps = try game.step(Array(repeating: [1, 1, 2, 0], count: game.playerCount))
/// }
/// game.teamScores  // [0, 0]: nobody moved
/// ```
public protocol MultiPlayerEnvironment {
  /// The number of players, the length of the arrays `reset()` and `step(_:)` take and return.
  var playerCount: Int { get }
  /// The team of each player, `0..<teamCount`.
  var playerTeams: [Int] { get }
  /// The score of each team in the current episode.
  var teamScores: [Int] { get }
  /// What each player observes.
  var observationSpec: ObservationSpec { get }
  /// The actions each player takes.
  var actionSpec: ActionSpec { get }
  /// Starts a new episode.
  mutating func reset() -> [TimeStep]
  /// Advances every player by one step; throws for a malformed action and changes nothing then.
  mutating func step(_ actions: [[Int]]) throws(EnvironmentError) -> [TimeStep]
}

extension MultiPlayerEnvironment {
  /// The number of teams.
  public var teamCount: Int { (playerTeams.max() ?? -1) + 1 }
}
