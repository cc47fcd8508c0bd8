import Foundation

/// How a game ended for its first team.
public enum GameOutcome: String, Codable, Sendable, CaseIterable {
  case win, draw, loss

  /// The outcome of a game with these scores, for the first team.
  public init(score: Int, otherScore: Int) {
    self = score > otherScore ? .win : score == otherScore ? .draw : .loss
  }

  /// The Elo score: 1, 1/2 or 0.
  public var score: Double {
    switch self {
    case .win: 1
    case .draw: 0.5
    case .loss: 0
    }
  }

  /// The same game seen by the other team.
  public var reversed: GameOutcome {
    switch self {
    case .win: .loss
    case .draw: .draw
    case .loss: .win
    }
  }
}

/// The Elo ratings of a population's members, updated after every game between teams of them.
///
/// A team's rating is the mean of its seats' ratings, and the predicted probability that team A
/// beats team B is `1 / (1 + 10^((R_B - R_A) / 400))`. After a game, team A's rating change
/// `K · (S - E)` (`S` 1, 1/2 or 0, `E` the predicted probability) is shared equally by its seats,
/// so a member that sits on both teams gains nothing from playing itself.
///
/// ```swift
/// var elo = EloRatings(count: 4)                         // everyone at 1000
/// elo.record(teams: [[0, 1], [2, 3]], outcome: .win)     // members 0 and 1 gain 8 each
/// EloRatings.winProbability(1200, against: 1000)         // 0.76
/// ```
public struct EloRatings: Codable, Sendable, Equatable {
  /// Where every member starts (the reference's 1000).
  public static let initialRating = 1000.0

  /// One rating per member.
  public var ratings: [Double]
  /// The step size `K`.
  public var k: Double

  /// `count` members at ``initialRating``.
  public init(count: Int, k: Double = 32) {
    ratings = Array(repeating: Self.initialRating, count: count)
    self.k = k
  }

  /// The probability that a side rated `rating` beats one rated `other`.
  public static func winProbability(_ rating: Double, against other: Double) -> Double {
    1 / (1 + pow(10, (other - rating) / 400))
  }

  /// The mean rating of a team's seats (a member may fill several).
  public func teamRating(_ team: [Int]) -> Double {
    team.map { ratings[$0] }.reduce(0, +) / Double(max(team.count, 1))
  }

  /// The predicted probability that `team` beats `other`.
  public func winProbability(of team: [Int], against other: [Int]) -> Double {
    Self.winProbability(teamRating(team), against: teamRating(other))
  }

  /// Updates the ratings after a game between `teams[0]` and `teams[1]` that ended in `outcome`
  /// for `teams[0]`.
  public mutating func record(teams: [[Int]], outcome: GameOutcome) {
    precondition(teams.count == 2 && teams.allSatisfy { !$0.isEmpty }, "a game has two teams of members")
    let change = k * (outcome.score - winProbability(of: teams[0], against: teams[1]))
    for (team, sign) in zip(teams, [1.0, -1.0]) {
      for member in team { ratings[member] += sign * change / Double(team.count) }
    }
  }

  /// Updates `team`'s ratings after a game against players of a fixed `rating` (bots) that ended
  /// in `outcome` for `team`; the other side's rating does not move.
  public mutating func record(team: [Int], againstFixed rating: Double, outcome: GameOutcome) {
    precondition(!team.isEmpty, "a team has members")
    let change = k * (outcome.score - Self.winProbability(teamRating(team), against: rating))
    for member in team { ratings[member] += change / Double(team.count) }
  }
}
