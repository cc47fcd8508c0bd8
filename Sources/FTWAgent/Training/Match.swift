import FTWEnvironments

/// One game of capture the flag between two teams of players (bots, agents, people, or a mix on
/// one team), stepped by its caller: what `ftw play` shows and records and `ftw serve` plays.
///
/// Blue is team 0 (base A), red team 1 (base B); each fills its seats as its ``EvaluationTeam``
/// says. Agents sample from their policies and start the game with a fresh memory; bots are
/// seeded from `seed`. The players listed in `people` take the actions their caller passes to
/// ``step(people:)`` instead of their team's. The match keeps a ``GameLog`` that replays it.
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
  /// The players (indices of `game`'s players) whose actions the caller gives.
  public let people: Set<Int>
  /// Each player's time step of the last step (of the reset before the first).
  public private(set) var steps: [TimeStep]
  /// The game so far: its arena, seats and every action.
  public private(set) var log: GameLog
  private var controllers: [TeamController]

  /// Starts a new game of `game` and seats the teams; throws if an agent cannot play its view or
  /// a person's seat is not one of the game's players. The log names each seat by `names[player]`
  /// when given, else `person`, the bot's kind or `agent`.
  public init(
    game: CaptureTheFlag, blue: EvaluationTeam, red: EvaluationTeam, seed: UInt64, people: Set<Int> = [],
    names: [Int: String] = [:]
  ) throws {
    let teamSize = game.configuration.teamSize
    try blue.checkCanPlay(game.configuration)
    try red.checkCanPlay(game.configuration)
    try require(
      people.allSatisfy { (0..<game.playerCount).contains($0) },
      "people's seats must be players 0..<\(game.playerCount), got \(people.sorted())")
    self.game = game
    self.people = people
    steps = game.reset()
    controllers =
      try TeamController.side(blue, teamSize: teamSize, gameCount: 1, firstPlayer: { _ in 0 }, seed: seed)
      + TeamController.side(
        red, teamSize: teamSize, gameCount: 1, firstPlayer: { _ in teamSize }, seed: seed &+ 1)
    let seats = (0..<game.playerCount).map { player in
      names[player]
        ?? (people.contains(player)
          ? "person" : (player < teamSize ? blue : red).player(atSeat: player % teamSize).name)
    }
    log = GameLog(game: game, seats: seats)
  }

  /// Whether the game has played its last step.
  public var isOver: Bool { steps.first?.stepType == .last }

  /// Every player acts once, each of `people`'s players as given (doing nothing when not given);
  /// returns each player's time step. Throws once the game is over, or if an action is given for
  /// a player who is not a person.
  @discardableResult
  public mutating func step(people actions: [Int: CTFAction] = [:]) throws -> [TimeStep] {
    try require(!isOver, "the game is over")
    try require(
      actions.keys.allSatisfy(people.contains),
      "actions were given for players \(actions.keys.sorted()), but people hold only \(people.sorted())")
    var chosen = [[[Int]](repeating: CTFAction.none.components, count: game.playerCount)]
    for index in controllers.indices {
      try controllers[index].act(games: [game], steps: [steps], into: &chosen)
    }
    for player in people { chosen[0][player] = (actions[player] ?? .none).components }
    steps = try game.step(chosen[0])
    try log.append(chosen[0], scores: game.teamScores)
    return steps
  }
}

extension Player {
  /// How a game log names the player: the bot's kind or `agent`.
  var name: String {
    switch self {
    case .bot(let kind): kind.rawValue
    case .agent: "agent"
    }
  }
}
