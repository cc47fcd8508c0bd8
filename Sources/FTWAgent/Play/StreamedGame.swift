import FTWEnvironments

/// A game `ftw serve` streams: a person's, stepped with their keys, or one watched, stepped by
/// the server's clock. Each step yields a ``StepFrame``; the game keeps its ``GameLog``.
///
/// ```swift
/// var request = GameRequest()
/// request.opponents = "scripted"
/// var game = try StreamedGame(request: request, teammates: .bot(.random), opponents: .bot(.scripted), seed: 7)
/// while !game.isOver { send(try game.step(KeyState(forward: true)).bytes) }
/// ```
public struct StreamedGame {
  /// The match being played.
  public private(set) var match: Match
  /// The person's player index; `nil` when the game is watched.
  public let person: Int?
  /// Key messages applied so far.
  public private(set) var acknowledged = 0
  private let map: GameRecorder

  /// A person's game as `request` asks, the other seats of their team played by `teammates`
  /// and the other team by `opponents` (named in the log by `names`). Agents play with the view
  /// they trained on, and the person sees the same kind; throws if two agents' views differ.
  public init(
    request: GameRequest, teammates: Player, opponents: Player,
    names: (teammates: String, opponents: String)? = nil,
    seed: UInt64
  ) throws {
    let own = EvaluationTeam(teammates)
    let other = EvaluationTeam(opponents)
    let game = try Self.game(
      arena: try request.arenaChoice(), teamSize: request.teamSize, steps: request.steps, view: request.view,
      players: [teammates, opponents], seed: seed)
    var seatNames: [Int: String] = [:]
    if let names {
      for player in 0..<game.playerCount {
        seatNames[player] = game.playerTeams[player] == request.team ? names.teammates : names.opponents
      }
      seatNames[request.player] = "person"
    }
    match = try Match(
      game: game, blue: request.team == 0 ? own : other, red: request.team == 0 ? other : own, seed: seed,
      people: [request.player], names: seatNames)
    person = request.player
    map = try GameRecorder(game: game)
  }

  /// A watched game of `blue` against `red`.
  public init(
    blue: Player, red: Player, arena: CaptureTheFlagConfiguration.ArenaChoice, teamSize: Int, steps: Int,
    seed: UInt64
  ) throws {
    let game = try Self.game(
      arena: arena, teamSize: teamSize, steps: steps, view: .topDown, players: [blue, red], seed: seed)
    match = try Match(game: game, blue: EvaluationTeam(blue), red: EvaluationTeam(red), seed: seed)
    person = nil
    map = try GameRecorder(game: game)
  }

  /// A new game whose view is that of the agents among `players` (else `view`, 84 pixels).
  private static func game(
    arena: CaptureTheFlagConfiguration.ArenaChoice, teamSize: Int, steps: Int, view: ViewKind,
    players: [Player], seed: UInt64
  ) throws -> CaptureTheFlag {
    var configuration = CaptureTheFlagConfiguration(
      arena: arena, teamSize: teamSize, view: view, viewSize: 84, stepsPerGame: steps)
    let views = players.compactMap { player -> (kind: ViewKind, size: Int)? in
      guard case .agent(let agent) = player else { return nil }
      return (agent.configuration.world.view, agent.configuration.world.viewSize)
    }
    if let view = views.first {
      try require(
        views.allSatisfy { $0 == view },
        "these agents were trained on different views and cannot play one game")
      (configuration.view, configuration.viewSize) = view
    }
    return try CaptureTheFlag(configuration: configuration, seed: seed)
  }

  /// The game.
  public var game: CaptureTheFlag { match.game }

  /// Whether the game has played its last step.
  public var isOver: Bool { match.isOver }

  /// Plays one step, the person (if any) holding `keys`; returns the frame after it.
  @discardableResult
  public mutating func step(_ keys: KeyState = KeyState()) throws -> StepFrame {
    if let person {
      try match.step(people: [person: keys.action])
      acknowledged += 1
    } else {
      try match.step()
    }
    return frame()
  }

  /// The frame of the current step; `result` is the person's (or the winning side's) once over.
  public func frame(game name: String? = nil) -> StepFrame {
    let size = map.mapSize
    var header = StepFrame.Header(
      step: game.stepCount, steps: game.configuration.stepsPerGame, scores: game.teamScores,
      viewSize: person == nil ? 0 : game.configuration.viewSize, mapWidth: size.width, mapHeight: size.height,
      acknowledged: acknowledged, game: name)
    if isOver { header.result = result }
    guard let person else { return StepFrame(header: header, view: [], map: map.mapFrame()) }
    let state = game.players[person]
    header.player = person
    header.position = [state.position.x, state.position.y]
    header.heading = state.heading
    header.respawnIn = state.respawnIn
    header.carriesFlag = state.carriesFlag
    header.fired = state.beamLength != nil
    return StepFrame(header: header, view: match.steps[person].observation.pixels, map: map.mapFrame())
  }

  /// `won`, `lost` or `drawn` for the person; `blue`, `red` or `drawn` for a watched game.
  public var result: String {
    switch game.outcome {
    case .draw: return "drawn"
    case .win(let team):
      guard let person else { return team == 0 ? "blue" : "red" }
      return team == game.playerTeams[person] ? "won" : "lost"
    }
  }
}
