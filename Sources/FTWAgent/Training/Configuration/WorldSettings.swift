import FTWEnvironments

/// Who plays the other team's seats while an agent trains.
public enum OpponentKind: String, Codable, CaseIterable, Sendable {
  /// The random bot.
  case random
  /// The scripted bot.
  case scripted
  /// Each game draws the random or the scripted bot for the whole other team, half and half.
  case bots
  /// Earlier versions of the agent itself (self-play against snapshots).
  case snapshots
  /// Each game draws the random bot, the scripted bot or a snapshot, a third each.
  case mixed
  /// A league: each game draws a rung of the bot ladder (`BotKind.ladder`) or a snapshot, weighed
  /// by the agent's recent score against each (``TrainingConfiguration/World/league``).
  case league

  /// Whether games against this opponent can draw a snapshot of the agent, so that actors keep
  /// snapshots.
  public var drawsSnapshots: Bool { self == .snapshots || self == .mixed || self == .league }
}

extension TrainingConfiguration {
  /// The world the agent trains in: the arena, the teams, the view, the game's length and the
  /// other team.
  ///
  /// ```swift
  /// var world = TrainingConfiguration.World()
  /// world.arena = "medium"
  /// world.opponent = .scripted
  /// ```
  public struct World: Codable, Sendable, Equatable {
    /// `tiny`, `small`, `medium`, `large` (generated per game) or a named layout. Tiny arenas (the
    /// default) teach the game within half an hour on a laptop; larger ones take longer.
    public var arena = "tiny"
    /// Players per team; the agent plays every seat of its team.
    public var teamSize = 2
    /// The agent's view.
    public var view = ViewKind.topDown
    /// The view's width and height in pixels.
    public var viewSize = 84
    /// Steps in a game; a multiple of the unroll length, so that unrolls end where games end.
    public var stepsPerGame = 1000
    /// Who plays the other team: by default the league of the ladder's bots and the agent's
    /// snapshots, which keeps the agent playing opponents it beats about half the time.
    public var opponent = OpponentKind.league
    /// How a league opponent shares the games among the league's bots and snapshots.
    public var league = LeagueWeighting.even

    /// The defaults.
    public init() {}

    /// Reads the world's keys; a missing one keeps its default.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      try container.read(.arena, into: &arena)
      try container.read(.teamSize, into: &teamSize)
      try container.read(.view, into: &view)
      try container.read(.viewSize, into: &viewSize)
      try container.read(.stepsPerGame, into: &stepsPerGame)
      try container.read(.opponent, into: &opponent)
      try container.read(.league, into: &league)
    }

    /// Against the league, one league for each of `members` learning members, weighed by
    /// ``league``: the ladder's bots, and for a single agent its own snapshots too (a population's
    /// members play each other instead); none against another opponent.
    public func makeLeagues(members: Int = 1) -> [League] {
      guard opponent == .league else { return [] }
      return (0..<members).map { _ in
        League(opponents: League.ladderOpponents(snapshots: members == 1), weighting: league)
      }
    }

    /// The world as the environment library describes it.
    public func environmentConfiguration() throws -> CaptureTheFlagConfiguration {
      let choice: CaptureTheFlagConfiguration.ArenaChoice
      if let size = ArenaSize(rawValue: arena) {
        choice = .generated(size)
      } else {
        choice = .fixed(try Arena.named(arena))
      }
      return CaptureTheFlagConfiguration(
        arena: choice, teamSize: teamSize, view: view, viewSize: viewSize, stepsPerGame: stepsPerGame)
    }

    /// Throws a ``TrainingError`` naming the first value out of range and what is allowed.
    func validate(unrollLength: Int) throws {
      let arenas = ArenaSize.allCases.map(\.rawValue) + Arena.layoutNames
      try require(
        arenas.contains(arena), "arena must be one of \(arenas.joined(separator: ", ")), got '\(arena)'")
      try require((1...8).contains(teamSize), "teamSize must be in 1...8, got \(teamSize)")
      try require((8...256).contains(viewSize), "viewSize must be in 8...256, got \(viewSize)")
      try require(
        (unrollLength...1_000_000).contains(stepsPerGame) && stepsPerGame % unrollLength == 0,
        "stepsPerGame must be a multiple of unrollLength (\(unrollLength)) up to 1000000, got \(stepsPerGame)"
      )
    }
  }
}
