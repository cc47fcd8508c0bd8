import FTWEnvironments
import Foundation

/// Draws the members of a population game so that it is close: around a focal member, every other
/// seat (teammates and opponents) is drawn from the whole population, the focal member included,
/// with a weight that is the normal density of the predicted probability that the focal member
/// beats the candidate, mean 1/2 and standard deviation 1/6 (the paper's matchmaking). Members
/// rated alike are drawn most; one 200 points apart (a 76% win probability) gets weight 0.33.
///
/// ```swift
/// var seeds = SplitMix64(seed: 1)
/// let teams = Matchmaker().drawGame(focal: 2, teamSize: 2, ratings: elo, seeds: &seeds)
/// // [[2, 0], [3, 2]]: the focal member first, the other team second
/// ```
public struct Matchmaker: Sendable, Equatable {
  /// The density's mean and standard deviation.
  public var mean: Double
  public var standardDeviation: Double

  /// The paper's matchmaker: mean 1/2, standard deviation 1/6.
  public init(mean: Double = 0.5, standardDeviation: Double = 1.0 / 6) {
    self.mean = mean
    self.standardDeviation = standardDeviation
  }

  /// The sampling weight of a candidate the focal member beats with probability `probability`:
  /// the normal density up to a constant factor (1 at the mean).
  public func weight(winProbability probability: Double) -> Double {
    let z = (probability - mean) / standardDeviation
    return exp(-z * z / 2)
  }

  /// The weight of every member as a partner or opponent of `focal`.
  public func weights(around focal: Int, ratings: EloRatings) -> [Double] {
    ratings.ratings.map {
      weight(winProbability: EloRatings.winProbability(ratings.ratings[focal], against: $0))
    }
  }

  /// Two teams of `teamSize` members: the focal member in the first seat of the first team, every
  /// other seat drawn independently by ``weights(around:ratings:)``.
  public func drawGame(focal: Int, teamSize: Int, ratings: EloRatings, seeds: inout SplitMix64) -> [[Int]] {
    let weights = weights(around: focal, ratings: ratings)
    let total = weights.reduce(0, +)
    func draw() -> Int {
      var target = seeds.nextUnit() * total
      for (member, weight) in weights.enumerated() {
        target -= weight
        if target < 0 { return member }
      }
      return weights.count - 1
    }
    let first = [focal] + (1..<max(teamSize, 1)).map { _ in draw() }
    let second = (0..<teamSize).map { _ in draw() }
    return [first, second]
  }
}
