import FTWEnvironments
import FTWLayers
import FTWNetworks
import FTWTensor
import Foundation

/// Who plays a team in an evaluation.
public enum Player {
  /// A built-in bot in every seat.
  case bot(BotKind)
  /// An agent in every seat, sampling from its policy.
  case agent(Agent)
}

/// The tally of an evaluation.
public struct EvaluationResult: Sendable, Equatable {
  public var wins = 0
  public var draws = 0
  public var losses = 0
  /// The evaluated team's captures, summed.
  public var captures = 0
  /// The other team's captures, summed.
  public var opponentCaptures = 0

  /// No games yet.
  public init() {}

  /// Games played.
  public var games: Int { wins + draws + losses }
  /// Wins over games.
  public var winRate: Double { games == 0 ? 0 : Double(wins) / Double(games) }
  /// (Wins + draws / 2) over games.
  public var score: Double { games == 0 ? 0 : (Double(wins) + Double(draws) / 2) / Double(games) }
  /// Mean captures a game.
  public var meanCaptures: Double { games == 0 ? 0 : Double(captures) / Double(games) }
  /// Mean of (captures - other team's captures) a game.
  public var meanScoreDifference: Double {
    games == 0 ? 0 : Double(captures - opponentCaptures) / Double(games)
  }

  /// The Wilson score interval of the win rate at 95% confidence.
  public var winRateInterval: ClosedRange<Double> {
    guard games > 0 else { return 0...1 }
    let n = Double(games)
    let p = winRate
    let z = 1.959964
    let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    let half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
    return max(0, centre - half)...min(1, centre + half)
  }
}

/// Plays a team against another over many games of capture the flag and counts the results.
///
/// Arenas come from seeds in their own range (`seed` in the upper half of the 64-bit space), apart
/// from the ones training draws. The evaluated team plays team 0 in even games and team 1 in odd
/// ones. Games run `parallel` at a time so agents act in batches.
///
/// ```swift
/// let result = try Evaluator(environment: environment, seed: 1).run(
///   .agent(agent), against: .bot(.random), games: 100)
/// print(result.wins, result.winRateInterval)
/// ```
public struct Evaluator {
  /// The games' settings.
  public var environment: CaptureTheFlagConfiguration
  /// Where the evaluation's seeds start.
  public var seed: UInt64
  /// Games played at once.
  public var parallel: Int

  /// Creates an evaluator.
  public init(environment: CaptureTheFlagConfiguration, seed: UInt64, parallel: Int = 20) {
    self.environment = environment
    self.seed = seed
    self.parallel = max(1, parallel)
  }

  /// Plays `games` games of `player` in every seat of its team against `opponent` in every seat of
  /// the other. `onStep` sees game 0 after its reset and after every step (to record it).
  public func run(
    _ player: Player, against opponent: Player, games: Int, onStep: (CaptureTheFlag) throws -> Void = { _ in }
  ) throws -> EvaluationResult {
    try run(EvaluationTeam(player), against: EvaluationTeam(opponent), games: games, onStep: onStep)
  }

  /// Plays `games` games of `team` against `opponents`, seat by seat (mixed teams: an agent with
  /// bot teammates, two agents on one team).
  public func run(
    _ team: EvaluationTeam, against opponents: EvaluationTeam, games: Int,
    onStep: (CaptureTheFlag) throws -> Void = { _ in }
  ) throws -> EvaluationResult {
    try team.checkCanPlay(environment)
    try opponents.checkCanPlay(environment)
    var result = EvaluationResult()
    var first = 0
    while first < games {
      let count = min(parallel, games - first)
      for outcome in try playChunk(team, opponents, from: first, count: count, onStep: onStep) {
        result.captures += outcome.captures
        result.opponentCaptures += outcome.opponentCaptures
        if outcome.captures > outcome.opponentCaptures {
          result.wins += 1
        } else if outcome.captures == outcome.opponentCaptures {
          result.draws += 1
        } else {
          result.losses += 1
        }
      }
      first += count
    }
    return result
  }

  /// Games `first..<first + count`, played together to the end.
  private func playChunk(
    _ team: EvaluationTeam, _ opponents: EvaluationTeam, from first: Int, count: Int,
    onStep: (CaptureTheFlag) throws -> Void
  ) throws -> [GameResult] {
    let evaluationSeeds = UInt64(1) << 63 | seed &* 0x9E37_79B9
    let games = try (first..<(first + count)).map {
      try CaptureTheFlag(configuration: environment, seed: evaluationSeeds &+ UInt64($0))
    }
    let teamSize = environment.teamSize
    // The evaluated team is team (game index % 2); the opponents the other one. Each player acts
    // for its seats of every game at once.
    var controllers: [TeamController] = []
    for (side, offset) in [(team, 0), (opponents, 1)] {
      controllers += try TeamController.side(
        side, teamSize: teamSize, gameCount: count,
        firstPlayer: { ((first + $0 + offset) % 2) * teamSize }, seed: seed &+ UInt64(first * 2 + offset))
    }
    var steps = games.map { $0.reset() }
    if first == 0 { try onStep(games[0]) }
    while steps[0][0].stepType != .last {
      var actions = games.map { [[Int]](repeating: CTFAction.none.components, count: $0.playerCount) }
      for index in controllers.indices {
        try controllers[index].act(games: games, steps: steps, into: &actions)
      }
      steps = try games.indices.map { try games[$0].step(actions[$0]) }
      if first == 0 { try onStep(games[0]) }
    }
    return games.enumerated().map { index, game in
      let team = (first + index) % 2
      return GameResult(captures: game.teamScores[team], opponentCaptures: game.teamScores[1 - team])
    }
  }
}
