import FTWEnvironments

/// A game a ``GameActor`` finished: who played and how it ended.
public struct GameRecord: Sendable, Equatable {
  /// The members in each team's seats, in seat order (bots and snapshots left out).
  public var members: [[Int]]
  /// Each team's captures.
  public var scores: [Int]
  /// Each team's flag pick-ups.
  public var pickups: [Int]

  /// Creates a record.
  public init(members: [[Int]], scores: [Int], pickups: [Int]) {
    self.members = members
    self.scores = scores
    self.pickups = pickups
  }

  /// How the game ended.
  public var outcome: GameOutcome { GameOutcome(scores: scores) }

  /// The game from the side of team `team`.
  public func result(forTeam team: Int) -> GameResult {
    GameResult(captures: scores[team], opponentCaptures: scores[1 - team], pickups: pickups[team])
  }

  /// The team member `member` sat in (the first if both), if any.
  public func team(of member: Int) -> Int? { members.firstIndex { $0.contains(member) } }
}

/// How one game ended, from one team's side.
public struct GameResult: Sendable, Equatable {
  /// The team's captures.
  public var captures: Int
  /// The other team's captures.
  public var opponentCaptures: Int
  /// The times the team picked up the other flag.
  public var pickups: Int

  /// Creates a result.
  public init(captures: Int, opponentCaptures: Int, pickups: Int = 0) {
    self.captures = captures
    self.opponentCaptures = opponentCaptures
    self.pickups = pickups
  }

  /// Whether the team captured more.
  public var isWin: Bool { captures > opponentCaptures }

  /// 1 for a win, 1/2 for a draw, 0 for a loss.
  public var score: Double { captures > opponentCaptures ? 1 : captures == opponentCaptures ? 0.5 : 0 }
}
