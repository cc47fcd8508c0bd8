import Foundation

/// Elo ratings fitted to game results by maximum likelihood: the chance that a player rated `a`
/// scores against one rated `b` is `1 / (1 + 10^((b - a) / 400))`, a draw counting half a win.
///
/// Every pair of players that met is also given one virtual draw (half a point each; pairs that did
/// not meet count for nothing), a prior that keeps the ratings finite when one player never scores
/// against another: 200 straight wins then put the winner about 1,040 points above the loser, the
/// most that such a count can tell. One player rated against fixed ratings gets one virtual draw in
/// all, shared among the players it met, so that a single game against a far stronger one does not
/// pull it up.
///
/// ```swift
/// // Three players; tallies[i][j]: i's results against j.
/// let ratings = EloFit.ratings(tallies, anchor: 0)          // player 0 at 0
/// let (rating, interval) = EloFit.rating(of: results, against: ratings)
/// ```
public enum EloFit {
  /// Elo points per natural-log unit of the odds: `400 / ln 10`.
  static let scale = 400 / log(10.0)

  /// The ratings of all players from `tallies[i][j]` (player `i`'s results against `j`, the same
  /// games as `tallies[j][i]` reversed), shifted so that player `anchor` is at 0.
  public static func ratings(_ tallies: [[EvaluationResult]], anchor: Int) -> [Double] {
    let count = tallies.count
    precondition(tallies.allSatisfy { $0.count == count } && tallies.indices.contains(anchor))
    var ratings = [Double](repeating: 0, count: count)
    // Newton steps one coordinate at a time: the log-likelihood is concave in each rating.
    for _ in 0..<200 {
      var largest = 0.0
      for i in 0..<count {
        let opponents = (0..<count).filter { $0 != i }.map { (tallies[i][$0], ratings[$0]) }
        let step = newtonStep(for: ratings[i], against: opponents, prior: 1)
        ratings[i] += step
        largest = max(largest, abs(step))
      }
      if largest < 1e-6 { break }
    }
    let offset = ratings[anchor]
    return ratings.map { $0 - offset }
  }

  /// The rating of one player with `results[k]` against players of fixed `ratings[k]`, and its 95%
  /// confidence interval from the likelihood's curvature.
  public static func rating(
    of results: [EvaluationResult], against ratings: [Double]
  ) -> (rating: Double, interval: ClosedRange<Double>) {
    precondition(results.count == ratings.count)
    let opponents = Array(zip(results, ratings))
    let prior = 1 / Double(max(1, results.filter { $0.games > 0 }.count))
    var rating = ratings.isEmpty ? 0 : ratings.reduce(0, +) / Double(ratings.count)
    for _ in 0..<200 {
      let step = newtonStep(for: rating, against: opponents, prior: prior)
      rating += step
      if abs(step) < 1e-9 { break }
    }
    let information = opponents.reduce(0.0) { total, opponent in
      guard opponent.0.games > 0 else { return total }
      let (games, _) = weightedScore(opponent.0, prior: prior)
      let p = expectedScore(rating, opponent.1)
      return total + games * p * (1 - p) / (scale * scale)
    }
    let half = 1.959964 / information.squareRoot()
    return (rating, (rating - half)...(rating + half))
  }

  /// The expected score of a player rated `a` against one rated `b`.
  public static func expectedScore(_ a: Double, _ b: Double) -> Double {
    1 / (1 + pow(10, (b - a) / 400))
  }

  /// Games and points of `result`, with `prior` virtual draws added.
  private static func weightedScore(_ result: EvaluationResult, prior: Double) -> (
    games: Double, points: Double
  ) {
    (Double(result.games) + prior, Double(result.wins) + Double(result.draws) / 2 + prior / 2)
  }

  /// The Newton step on one rating against `opponents` (results and their ratings), at most 400
  /// points either way.
  private static func newtonStep(
    for rating: Double, against opponents: [(EvaluationResult, Double)], prior: Double
  )
    -> Double
  {
    var gradient = 0.0
    var curvature = 0.0
    for (result, opponentRating) in opponents where result.games > 0 {
      let (games, points) = weightedScore(result, prior: prior)
      let p = expectedScore(rating, opponentRating)
      gradient += (points - games * p) / scale
      curvature += games * p * (1 - p) / (scale * scale)
    }
    guard curvature > 0 else { return 0 }
    return min(max(gradient / curvature, -400), 400)
  }
}
