import FTWEnvironments
import Foundation

/// How a population trains: its size, its matchmaking and Elo step, and when and how members
/// evolve. Saved as `population.json` in the run folder.
///
/// A member is eligible to evolve once it has trained on ``minimumFrames`` frames since it last
/// changed. It then picks another member at random and, if that member beats it with a predicted
/// probability of at least ``exploitThreshold``, copies it and explores (see
/// ``PopulationMember/exploit(_:rule:seeds:)``).
///
/// ```swift
/// var population = PopulationConfiguration(size: 4)
/// population.minimumFrames = 200_000
/// try population.validate()
/// ```
public struct PopulationConfiguration: Codable, Sendable, Equatable {
  /// Members.
  public var size = 4
  /// New members draw their values within this factor of the tuned single agent's (inside the
  /// paper's ranges); `nil` draws from the paper's whole ranges, as the reference does. See
  /// ``EvolvedValues/sample(from:spread:seeds:)``.
  public var initialSpread: Float? = 2
  /// Frames a member trains on between evolutions.
  public var minimumFrames = 200_000
  /// The predicted win probability of the other member at which a member copies it (the
  /// reference's 200 Elo points are 0.76).
  public var exploitThreshold = 0.7
  /// The probability that exploring changes each value.
  public var perturbProbability = 0.2
  /// The largest relative change of a value explored.
  public var perturbMaxChange = 0.2
  /// The Elo step size.
  public var eloK = 32.0
  /// The matchmaking density's standard deviation (its mean is 1/2).
  public var matchmakingDeviation = 1.0 / 6
  /// The share of games in which the focal member fills its whole team against the run's bots
  /// (the training configuration's opponent: random, scripted, both, or each member's league of
  /// the ladder's bots). They move no rating; they
  /// show every member, as a whole team, an opponent that does not play like the population.
  /// 0 is the paper's population, members only.
  public var botGames = 0.25

  /// With a rating, bot games count in the members' ratings, the bots standing at this fixed
  /// rating, so that a member that stops beating them loses rating (and, in time, is replaced);
  /// `nil` (the default) leaves ratings to games between members.
  public var botRating: Double?

  /// The opponents a population's bot games can have.
  public static let botOpponents: [OpponentKind] = [.random, .scripted, .bots, .league]

  /// The defaults.
  public init(size: Int = 4) { self.size = size }

  private enum CodingKeys: String, CodingKey {
    case size, initialSpread, minimumFrames, exploitThreshold, perturbProbability, perturbMaxChange, eloK,
      matchmakingDeviation, botGames, botRating
  }

  /// Reads a saved configuration; one saved before ``initialSpread`` and ``botGames`` existed
  /// drew from the paper's ranges and played no bots. A field that is missing or cannot be read is
  /// refused naming its key (``ConfigurationFieldError``).
  public init(from decoder: any Decoder) throws {
    let values = try decoder.container(keyedBy: CodingKeys.self)
    size = try values.requiredField(Int.self, forKey: .size)
    initialSpread = try values.field(Float.self, forKey: .initialSpread)
    minimumFrames = try values.requiredField(Int.self, forKey: .minimumFrames)
    exploitThreshold = try values.requiredField(Double.self, forKey: .exploitThreshold)
    perturbProbability = try values.requiredField(Double.self, forKey: .perturbProbability)
    perturbMaxChange = try values.requiredField(Double.self, forKey: .perturbMaxChange)
    eloK = try values.requiredField(Double.self, forKey: .eloK)
    matchmakingDeviation = try values.requiredField(Double.self, forKey: .matchmakingDeviation)
    botGames = try values.field(Double.self, forKey: .botGames) ?? 0
    botRating = try values.field(Double.self, forKey: .botRating)
  }

  /// Whether a member with `record` may evolve now.
  public func isEligible(_ record: MemberRecord) -> Bool { record.framesSinceChange >= minimumFrames }

  /// The member that `member` copies now, if any: when it is eligible, one other member drawn at
  /// random, kept if it beats `member` with a predicted probability of at least
  /// ``exploitThreshold``; with that probability.
  public func donor(for member: Int, records: [MemberRecord], elo: EloRatings, seeds: inout SplitMix64) -> (
    member: Int, winProbability: Double
  )? {
    guard records.count > 1, isEligible(records[member]) else { return nil }
    var donor = seeds.next(below: records.count - 1)
    if donor >= member { donor += 1 }
    let probability = EloRatings.winProbability(elo.ratings[donor], against: elo.ratings[member])
    return probability >= exploitThreshold ? (donor, probability) : nil
  }

  /// Throws a ``TrainingError`` naming the first value out of its range.
  public func validate() throws {
    func require(_ condition: Bool, _ message: String) throws {
      if !condition { throw TrainingError(message) }
    }
    try require((2...32).contains(size), "population size must be in 2...32, got \(size)")
    if let initialSpread {
      try require(
        initialSpread >= 1 && initialSpread <= 1000, "initialSpread must be in 1...1000, got \(initialSpread)"
      )
    }
    try require(minimumFrames >= 0, "minimumFrames must be >= 0, got \(minimumFrames)")
    try require(
      exploitThreshold > 0.5 && exploitThreshold < 1,
      "exploitThreshold must be in (0.5, 1), got \(exploitThreshold)")
    try require(
      (0...1).contains(perturbProbability), "perturbProbability must be in [0, 1], got \(perturbProbability)")
    try require(
      perturbMaxChange >= 0 && perturbMaxChange < 1,
      "perturbMaxChange must be in [0, 1), got \(perturbMaxChange)")
    try require((0..<1).contains(botGames), "botGames must be in [0, 1), got \(botGames)")
    if let botRating {
      try require((0...4000).contains(botRating), "botRating must be in 0...4000, got \(botRating)")
    }
    try require(eloK > 0 && eloK <= 400, "eloK must be in (0, 400], got \(eloK)")
    try require(
      matchmakingDeviation > 0 && matchmakingDeviation.isFinite,
      "matchmakingDeviation must be positive, got \(matchmakingDeviation)")
  }
}
