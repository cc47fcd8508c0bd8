/// One player in a game of capture the flag.
public struct PlayerState: Sendable, Equatable {
  /// The player's team, 0 or 1.
  public var team: Int
  /// Its position in tiles.
  public var position: Point
  /// Its heading, in `0..<Heading.count` units of 5 degrees.
  public var heading: Int
  /// Steps until a tagged player plays again; 0 while it plays.
  public var respawnIn = 0
  /// Steps until the beam can fire again.
  public var cooldown = 0
  /// `true` while it carries the other team's flag.
  public var carriesFlag = false
  /// The length of the beam it fired in the last step, for drawing; `nil` if it did not fire.
  public var beamLength: Float?

  /// `true` unless it is waiting to respawn.
  public var isActive: Bool { respawnIn == 0 }

  /// The unit vector it faces.
  public var direction: Point { Heading.directions[heading] }
}

/// Where a team's flag is.
public enum FlagState: Sendable, Equatable {
  /// At its base.
  case home
  /// Carried by the player with this index.
  case carried(by: Int)
  /// Dropped where its carrier was tagged; it returns home by itself after `returnsIn` steps.
  case dropped(at: Point, returnsIn: Int)
}

/// The end of a game.
///
/// ```swift
/// GameOutcome(scores: [3, 1])   // .win(team: 0)
/// ```
public enum GameOutcome: Sendable, Equatable {
  /// The team with this index captured more flags.
  case win(team: Int)
  /// Both teams captured as many.
  case draw

  /// The outcome of a game whose two teams captured `scores[0]` and `scores[1]` flags.
  public init(scores: [Int]) {
    precondition(scores.count == 2, "a game has two teams, got \(scores.count) scores")
    self = scores[0] == scores[1] ? .draw : .win(team: scores[0] > scores[1] ? 0 : 1)
  }
}
