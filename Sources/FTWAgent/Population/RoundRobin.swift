import FTWEnvironments
import Foundation

/// Every player (a population's members, or bots) against every other over the same number of
/// games, each pair on evaluation arenas (see ``Evaluator``): the win-rate matrix and each player's
/// score.
///
/// ```swift
/// let table = try RoundRobin.play(
///   agents.map { .agent($0) }, environment: environment, seed: 1, gamesPerPair: 20)
/// table.results[0][1].winRate   // player 0 against player 1
/// ```
public struct RoundRobin: Sendable {
  /// `results[i][j]`: player `i` against player `j` (empty on the diagonal).
  public var results: [[EvaluationResult]]

  /// Plays every pair `gamesPerPair` games. `progress` is called after each pair.
  public static func play(
    _ players: [Player], environment: CaptureTheFlagConfiguration, seed: UInt64, gamesPerPair: Int,
    progress: (Int, Int) -> Void = { _, _ in }
  ) throws -> RoundRobin {
    var results = Array(
      repeating: Array(repeating: EvaluationResult(), count: players.count), count: players.count)
    for i in players.indices {
      for j in players.indices where j > i {
        let result = try Evaluator(environment: environment, seed: seed &+ UInt64(i * players.count + j)).run(
          players[i], against: players[j], games: gamesPerPair)
        results[i][j] = result
        results[j][i] = result.reversed
        progress(i, j)
      }
    }
    return RoundRobin(results: results)
  }

  /// Player `i`'s score over all its games: (wins + draws / 2) / games.
  public func score(of player: Int) -> Double {
    results[player].reduce(EvaluationResult()) { $0.adding($1) }.score
  }
}

extension EvaluationResult {
  /// The same games from the other team's side.
  public var reversed: EvaluationResult {
    var result = EvaluationResult()
    (result.wins, result.draws, result.losses) = (losses, draws, wins)
    (result.captures, result.opponentCaptures) = (opponentCaptures, captures)
    return result
  }

  /// The tally of both sets of games.
  public func adding(_ other: EvaluationResult) -> EvaluationResult {
    var result = self
    result.wins += other.wins
    result.draws += other.draws
    result.losses += other.losses
    result.captures += other.captures
    result.opponentCaptures += other.opponentCaptures
    return result
  }
}
