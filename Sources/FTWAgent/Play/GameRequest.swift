import FTWEnvironments

/// A game a person asks `ftw serve` for: the arena, the team size, the person's seat, who fills
/// the other seats (a bot's name or a run's) and the game's length. Fields a message leaves out
/// take their defaults.
///
/// ```swift
/// var request = GameRequest()       // 1 v 1 on a tiny arena against the random bot
/// request.opponents = "scripted"
/// try request.validate(players: ["random", "scripted", "runs/a"])
/// request.player                    // 0: blue's first seat
/// ```
public struct GameRequest: Codable, Sendable, Equatable {
  /// `tiny`, `small`, `medium`, `large` (generated) or a named layout.
  public var arena = "tiny"
  public var teamSize = 1
  /// The person's team: 0 blue (base A), 1 red (base B).
  public var team = 0
  /// The person's seat in their team.
  public var seat = 0
  /// Who plays the person's teammates' seats.
  public var teammates = "random"
  /// Who plays the other team.
  public var opponents = "random"
  /// Steps in the game (15 a second: 1000 is a little over a minute).
  public var steps = 1000
  /// The view the person sees when no agent plays; agents' games use the view they trained on.
  public var view = ViewKind.topDown

  /// The longest game a person can ask for (five and a half minutes).
  public static let maximumSteps = 5000

  /// The defaults.
  public init() {}

  /// Reads a request; fields left out take their defaults.
  public init(from decoder: any Decoder) throws {
    let fields = try decoder.container(keyedBy: CodingKeys.self)
    let defaults = GameRequest()
    arena = try fields.decodeIfPresent(String.self, forKey: .arena) ?? defaults.arena
    teamSize = try fields.decodeIfPresent(Int.self, forKey: .teamSize) ?? defaults.teamSize
    team = try fields.decodeIfPresent(Int.self, forKey: .team) ?? defaults.team
    seat = try fields.decodeIfPresent(Int.self, forKey: .seat) ?? defaults.seat
    teammates = try fields.decodeIfPresent(String.self, forKey: .teammates) ?? defaults.teammates
    opponents = try fields.decodeIfPresent(String.self, forKey: .opponents) ?? defaults.opponents
    steps = try fields.decodeIfPresent(Int.self, forKey: .steps) ?? defaults.steps
    view = try fields.decodeIfPresent(ViewKind.self, forKey: .view) ?? defaults.view
  }

  /// The person's player index in the game: blue's seats first.
  public var player: Int { team * teamSize + seat }

  /// The arena as a game configuration takes it.
  public func arenaChoice() throws -> CaptureTheFlagConfiguration.ArenaChoice {
    if let size = ArenaSize(rawValue: arena) { return .generated(size) }
    try require(
      Arena.layoutNames.contains(arena),
      "arena must be one of \((ArenaSize.allCases.map(\.rawValue) + Arena.layoutNames).joined(separator: ", ")), got '\(arena)'"
    )
    return .fixed(try Arena.named(arena))
  }

  /// Throws a ``TrainingError`` naming the first field out of range; `players` are the names
  /// the server knows (bots and runs).
  public func validate(players: [String]) throws {
    _ = try arenaChoice()
    try require((1...4).contains(teamSize), "teamSize must be in 1...4, got \(teamSize)")
    try require((0...1).contains(team), "team must be 0 (blue) or 1 (red), got \(team)")
    try require((0..<teamSize).contains(seat), "seat must be in 0..<\(teamSize) (teamSize), got \(seat)")
    try require(
      (20...Self.maximumSteps).contains(steps), "steps must be in 20...\(Self.maximumSteps), got \(steps)")
    for (field, name) in [("teammates", teammates), ("opponents", opponents)] {
      try require(
        players.contains(name), "\(field) must be one of \(players.joined(separator: ", ")); got '\(name)'")
    }
  }
}
