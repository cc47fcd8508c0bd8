import FTWEnvironments
import Foundation

/// Every member of a population against every other over the same number of games, each pair on
/// evaluation arenas (see ``Evaluator``): the win-rate matrix and each member's score.
///
/// ```swift
/// let table = try RoundRobin.play(agents, environment: environment, seed: 1, gamesPerPair: 20)
/// table.results[0][1].winRate   // member 0 against member 1
/// ```
public struct RoundRobin: Sendable {
  /// `results[i][j]`: member `i` against member `j` (empty on the diagonal).
  public var results: [[EvaluationResult]]

  /// Plays every pair `gamesPerPair` games. `progress` is called after each pair.
  public static func play(
    _ agents: [Agent], environment: CaptureTheFlagConfiguration, seed: UInt64, gamesPerPair: Int,
    progress: (Int, Int) -> Void = { _, _ in }
  ) throws -> RoundRobin {
    var results = Array(
      repeating: Array(repeating: EvaluationResult(), count: agents.count), count: agents.count)
    for i in agents.indices {
      for j in agents.indices where j > i {
        let result = try Evaluator(environment: environment, seed: seed &+ UInt64(i * agents.count + j)).run(
          .agent(agents[i]), against: .agent(agents[j]), games: gamesPerPair)
        results[i][j] = result
        results[j][i] = result.reversed
        progress(i, j)
      }
    }
    return RoundRobin(results: results)
  }

  /// Member `i`'s score over all its games: (wins + draws / 2) / games.
  public func score(of member: Int) -> Double {
    let total = results[member].reduce(EvaluationResult()) { $0.adding($1) }
    return total.games == 0 ? 0 : (Double(total.wins) + Double(total.draws) / 2) / Double(total.games)
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
