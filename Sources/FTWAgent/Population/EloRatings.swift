import FTWEnvironments
import Foundation

extension GameOutcome {
  /// Elo's score of the game for team `team`: 1 for a win, 1/2 for a draw, 0 for a loss.
  public func score(forTeam team: Int) -> Double {
    switch self {
    case .win(let winner): winner == team ? 1 : 0
    case .draw: 0.5
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
/// elo.record(teams: [[0, 1], [2, 3]], outcome: .win(team: 0))   // members 0 and 1 gain 8 each
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
    let change = k * (outcome.score(forTeam: 0) - winProbability(of: teams[0], against: teams[1]))
    for (team, sign) in zip(teams, [1.0, -1.0]) {
      for member in team { ratings[member] += sign * change / Double(team.count) }
    }
  }

  /// Updates `team`'s ratings after a game against players of a fixed `rating` (bots) that ended
  /// in `outcome`, `team` being its team 0; the other side's rating does not move.
  public mutating func record(team: [Int], againstFixed rating: Double, outcome: GameOutcome) {
    precondition(!team.isEmpty, "a team has members")
    let change = k * (outcome.score(forTeam: 0) - Self.winProbability(teamRating(team), against: rating))
    for member in team { ratings[member] += change / Double(team.count) }
  }
}
