/// The view each player observes.
public enum ViewKind: String, CaseIterable, Codable, Sendable {
  /// Looking down on the arena, centred ahead of the player and turning with it, a few tiles
  /// around: what is out of range must be remembered.
  case topDown
  /// A ray-cast 3D view from the player's eyes, 90 degrees wide.
  case firstPerson
}

/// The timing and distances of capture the flag, in steps and tiles.
public struct CaptureTheFlagRules: Sendable, Equatable {
  /// Tiles a player moves forward in a step.
  public var forwardSpeed: Float = 0.2
  /// Tiles a player moves backward in a step.
  public var backwardSpeed: Float = 0.12
  /// Tiles a player strafes in a step.
  public var strafeSpeed: Float = 0.15
  /// Headings a slow turn moves by, in units of 5 degrees.
  public var slowTurn = 2
  /// Headings a fast turn moves by, in units of 5 degrees.
  public var fastTurn = 6
  /// A player's radius for collisions with walls.
  public var playerRadius: Float = 0.3
  /// How close a player's centre must come to a flag to touch it.
  public var touchRadius: Float = 0.6
  /// How close a flag carrier must come to its base's centre to capture.
  public var captureRadius: Float = 0.75
  /// How far the tagging beam reaches.
  public var tagRange: Float = 5
  /// How far from the beam a player's centre may be and still be hit.
  public var tagWidth: Float = 0.4
  /// Steps after tagging before the beam can fire again.
  public var tagCooldown = 8
  /// Steps a tagged player waits at its base before it plays again.
  public var respawnDelay = 20
  /// Steps a dropped flag lies before it returns to its base by itself.
  public var flagReturnDelay = 150

  /// The defaults.
  public init() {}

  /// Throws unless every value is in its range.
  public func validate() throws(EnvironmentError) {
    let speeds = [forwardSpeed, backwardSpeed, strafeSpeed]
    guard speeds.allSatisfy({ $0 >= 0 && $0 <= 0.5 }) else {
      throw .invalidConfiguration("speeds must be in 0...0.5 tiles a step, got \(speeds)")
    }
    guard (0...36).contains(slowTurn), (0...36).contains(fastTurn) else {
      throw .invalidConfiguration(
        "turns must be in 0...36 (units of 5 degrees), got \(slowTurn), \(fastTurn)")
    }
    guard playerRadius > 0, playerRadius < 0.5 else {
      throw .invalidConfiguration("playerRadius must be in (0, 0.5), got \(playerRadius)")
    }
    let reaches = [touchRadius, captureRadius, tagWidth]
    guard reaches.allSatisfy({ $0 > 0 && $0 <= 4 }), tagRange > 0, tagRange <= 64 else {
      throw .invalidConfiguration("radii must be in (0, 4] and tagRange in (0, 64]")
    }
    let delays = [tagCooldown, respawnDelay, flagReturnDelay]
    guard delays.allSatisfy({ (0...100_000).contains($0) }) else {
      throw .invalidConfiguration("delays must be in 0...100000 steps, got \(delays)")
    }
  }
}

/// How a game of capture the flag is set up.
///
/// ```swift
/// var configuration = CaptureTheFlagConfiguration(arena: .generated(.medium), teamSize: 2)
/// configuration.view = .firstPerson
/// let game = try CaptureTheFlag(configuration: configuration, seed: 1)
/// ```
public struct CaptureTheFlagConfiguration: Sendable, Equatable {
  /// Where games are played.
  public enum ArenaChoice: Sendable, Equatable {
    /// A new arena of this size for every game, generated from the game's seed.
    case generated(ArenaSize)
    /// The same arena for every game.
    case fixed(Arena)
  }

  /// Where games are played (default: a new small arena each game).
  public var arena: ArenaChoice
  /// Players per team, 1 or more (default 2, the paper's 2 vs 2); the arena must have as many
  /// spawn cells around each base.
  public var teamSize: Int
  /// The view each player observes (default `topDown`).
  public var view: ViewKind
  /// The width and height of each view in pixels, 8...256 (default 84, the paper's).
  public var viewSize: Int
  /// Steps in a game (default 1000: about a minute at 15 agent steps a second).
  public var stepsPerGame: Int
  /// Timing and distances.
  public var rules: CaptureTheFlagRules

  /// Creates a configuration.
  public init(
    arena: ArenaChoice = .generated(.small), teamSize: Int = 2, view: ViewKind = .topDown,
    viewSize: Int = 84, stepsPerGame: Int = 1000, rules: CaptureTheFlagRules = CaptureTheFlagRules()
  ) {
    self.arena = arena
    self.teamSize = teamSize
    self.view = view
    self.viewSize = viewSize
    self.stepsPerGame = stepsPerGame
    self.rules = rules
  }

  /// Throws unless the values are in range and the arena holds the teams.
  public func validate() throws(EnvironmentError) {
    guard (1...16).contains(teamSize) else {
      throw .invalidConfiguration("teamSize must be in 1...16, got \(teamSize)")
    }
    guard (8...256).contains(viewSize) else {
      throw .invalidConfiguration("viewSize must be in 8...256 pixels, got \(viewSize)")
    }
    guard (1...1_000_000).contains(stepsPerGame) else {
      throw .invalidConfiguration("stepsPerGame must be in 1...1000000, got \(stepsPerGame)")
    }
    try rules.validate()
    let room: Int
    switch arena {
    case .generated: room = 8  // every generated base room has eight cells around the base
    case .fixed(let arena): room = arena.spawns.map(\.count).min() ?? 0
    }
    guard teamSize <= room else {
      throw .invalidConfiguration(
        "the arena has room for teams of at most \(room) (spawn cells around a base), got teamSize \(teamSize)"
      )
    }
  }
}
