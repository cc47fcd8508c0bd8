import FTWEnvironments
import Foundation

/// The built-in bots' ratings on one Elo scale, the random bot at 0, fitted (``EloFit``) to a round
/// robin among them: the scale an agent is rated on by `ftw eval --ladder`. The one the package
/// ships (``bundled()``) is made by the command it records, `ftw ladder`.
///
/// ```swift
/// let ladder = try BotLadder.bundled()
/// ladder.rating(of: .scripted)    // Elo above the random bot
/// ```
public struct BotLadder: Codable, Sendable, Equatable {
  /// A bot and its rating.
  public struct Rating: Codable, Sendable, Equatable {
    public var bot: String
    public var elo: Double
  }

  /// The games between two bots: the first one's results.
  public struct Pairing: Codable, Sendable, Equatable {
    public var bot: String
    public var opponent: String
    public var wins: Int
    public var draws: Int
    public var losses: Int

    /// The first bot's results as an evaluation tallies them.
    public var result: EvaluationResult {
      var result = EvaluationResult()
      (result.wins, result.draws, result.losses) = (wins, draws, losses)
      return result
    }
  }

  /// The command that made this ladder.
  public var command: String
  /// The games' world: arena, team size and length.
  public var arena: String
  public var teamSize: Int
  public var stepsPerGame: Int
  /// Games each pair of bots played.
  public var gamesPerPair: Int
  /// The evaluation seed the games were played from.
  public var seed: UInt64
  /// Every bot's rating, weakest first.
  public var ratings: [Rating]
  /// The round robin's results, one entry a pair.
  public var pairings: [Pairing]

  /// The rating of `kind`, if it is on this ladder.
  public func rating(of kind: BotKind) -> Double? {
    ratings.first { $0.bot == kind.rawValue }?.elo
  }

  /// The bots of `BotKind.ladder` with their ratings, weakest first.
  public var rungs: [(bot: BotKind, elo: Double)] {
    BotKind.ladder.compactMap { kind in rating(of: kind).map { (kind, $0) } }.sorted { $0.elo < $1.elo }
  }
}

extension BotLadder {
  /// Plays every pair of `bots` `gamesPerPair` games in `world` (its arena, team size and length)
  /// from `seed`, and fits their ratings with the first of `bots` at 0. `progress` is called after
  /// each pair.
  public static func measure(
    _ bots: [BotKind], world: TrainingConfiguration.World, gamesPerPair: Int, seed: UInt64,
    command: String, progress: (Int, Int) -> Void = { _, _ in }
  ) throws -> BotLadder {
    guard bots.count >= 2, Set(bots).count == bots.count else {
      throw TrainingError("a ladder needs at least two different bots, got \(bots.map(\.rawValue))")
    }
    guard (1...100_000).contains(gamesPerPair) else {
      throw TrainingError("games per pair must be in 1...100000, got \(gamesPerPair)")
    }
    var environment = try world.environmentConfiguration()
    environment.viewSize = 8  // bots read the game's state, not the pixels
    let table = try RoundRobin.play(
      bots.map { .bot($0) }, environment: environment, seed: seed, gamesPerPair: gamesPerPair,
      progress: progress)
    let elo = EloFit.ratings(table.results, anchor: 0)
    var pairings: [Pairing] = []
    for i in bots.indices {
      for j in bots.indices where j > i {
        let result = table.results[i][j]
        pairings.append(
          Pairing(
            bot: bots[i].rawValue, opponent: bots[j].rawValue, wins: result.wins, draws: result.draws,
            losses: result.losses))
      }
    }
    return BotLadder(
      command: command, arena: world.arena, teamSize: world.teamSize, stepsPerGame: world.stepsPerGame,
      gamesPerPair: gamesPerPair, seed: seed,
      ratings: zip(bots, elo).map { Rating(bot: $0.rawValue, elo: $1) }.sorted { $0.elo < $1.elo },
      pairings: pairings)
  }

  /// The ladder the package ships (`BotLadder.json`, made by the command it records).
  public static func bundled() throws -> BotLadder {
    guard let url = Bundle.module.url(forResource: "BotLadder", withExtension: "json") else {
      throw TrainingError("the package's BotLadder.json is missing from its resources")
    }
    return try load(from: url)
  }

  /// Reads a ladder written by ``save(to:)``, checking every bot's name and rating.
  public static func load(from url: URL) throws -> BotLadder {
    let ladder: BotLadder
    do {
      ladder = try JSONDecoder().decode(BotLadder.self, from: Data(contentsOf: url))
    } catch {
      throw TrainingError("cannot read the bot ladder \(url.path): \(error)")
    }
    try ladder.validate()
    return ladder
  }

  /// Writes the ladder as JSON, atomically.
  public func save(to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try encoder.encode(self).write(to: url, options: .atomic)
  }

  /// Throws unless every bot is a known one, rated once with a finite rating.
  func validate() throws {
    let names = ratings.map(\.bot) + pairings.flatMap { [$0.bot, $0.opponent] }
    if let unknown = names.first(where: { BotKind(rawValue: $0) == nil }) {
      throw TrainingError(
        "the bot ladder names an unknown bot '\(unknown)'; bots are \(BotKind.allCases.map(\.rawValue))")
    }
    guard Set(ratings.map(\.bot)).count == ratings.count, ratings.allSatisfy({ $0.elo.isFinite }) else {
      throw TrainingError("the bot ladder must rate each bot once, with a finite rating")
    }
    guard pairings.allSatisfy({ min($0.wins, $0.draws, $0.losses) >= 0 }) else {
      throw TrainingError("the bot ladder's results must not be negative")
    }
  }
}
