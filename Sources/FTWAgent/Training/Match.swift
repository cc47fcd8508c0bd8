import FTWEnvironments

/// One game of capture the flag between two teams of players (bots, agents, or both on one
/// team), stepped by its caller: what `ftw play` shows and records.
///
/// Blue is team 0 (base A), red team 1 (base B); each fills its seats as its ``EvaluationTeam``
/// says. Agents sample from their policies and start the game with a fresh memory; bots are
/// seeded from `seed`.
///
/// ```swift
/// let game = try CaptureTheFlag(configuration: .init(teamSize: 2), seed: 1)
/// var match = try Match(
///   game: game, blue: EvaluationTeam(seats: [.agent(agent), .bot(.scripted)]),
///   red: EvaluationTeam(.bot(.expert)), seed: 1)
/// while !match.isOver { try match.step() }
/// print(game.teamScores)
/// ```
public struct Match {
  /// The game being played.
  public let game: CaptureTheFlag
  private var controllers: [TeamController]
  private var steps: [TimeStep]

  /// Starts a new game of `game` and seats the teams; throws if an agent cannot play its view.
  public init(game: CaptureTheFlag, blue: EvaluationTeam, red: EvaluationTeam, seed: UInt64) throws {
    let teamSize = game.configuration.teamSize
    try blue.checkCanPlay(game.configuration)
    try red.checkCanPlay(game.configuration)
    self.game = game
    steps = game.reset()
    controllers =
      try TeamController.side(blue, teamSize: teamSize, gameCount: 1, firstPlayer: { _ in 0 }, seed: seed)
      + TeamController.side(
        red, teamSize: teamSize, gameCount: 1, firstPlayer: { _ in teamSize }, seed: seed &+ 1)
  }

  /// Whether the game has played its last step.
  public var isOver: Bool { steps.first?.stepType == .last }

  /// Every player acts once; returns each player's time step.
  @discardableResult
  public mutating func step() throws -> [TimeStep] {
    var actions = [[[Int]](repeating: CTFAction.none.components, count: game.playerCount)]
    for index in controllers.indices {
      try controllers[index].act(games: [game], steps: [steps], into: &actions)
    }
    steps = try game.step(actions[0])
    return steps
  }
}
