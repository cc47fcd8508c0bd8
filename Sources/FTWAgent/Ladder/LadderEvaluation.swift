import FTWEnvironments
import Foundation

/// An agent (or a team: an agent with a bot teammate, two agents) rated on the bots' Elo scale
/// (``BotLadder``): its games against each rung and its rating with a 95% interval.
///
/// The games go in two rounds: a few against every rung, then the rest against the rungs within
/// 400 points of the first estimate and the nearest rung on either side of it (where a game tells
/// the most), so that the budget is not spent beating the random bot.
///
/// ```swift
/// let result = try LadderEvaluation.run(
///   EvaluationTeam(.agent(agent)), ladder: .bundled(), environment: environment, games: 200, seed: 1)
/// print(result.rating, result.interval)
/// ```
public struct LadderEvaluation: Sendable {
  /// One rung: the bot, its rating and the agent's results against it.
  public struct Rung: Sendable {
    public var bot: BotKind
    public var elo: Double
    public var result: EvaluationResult
  }

  /// Every rung, weakest first.
  public var rungs: [Rung]
  /// The agent's rating on the ladder's scale.
  public var rating: Double
  /// Its 95% confidence interval.
  public var interval: ClosedRange<Double>

  /// Plays `team` about `games` games against the rungs of `ladder` (at least 2 against each)
  /// in `environment` from `seed`, and rates it. `progress` is called after each rung's games.
  public static func run(
    _ team: EvaluationTeam, ladder: BotLadder, environment: CaptureTheFlagConfiguration, games: Int,
    seed: UInt64,
    progress: (Rung) -> Void = { _ in }
  ) throws -> LadderEvaluation {
    let ladderRungs = ladder.rungs
    guard ladderRungs.count >= 2 else { throw TrainingError("the bot ladder has fewer than two rungs") }
    var rungs = ladderRungs.map { Rung(bot: $0.bot, elo: $0.elo, result: EvaluationResult()) }
    func play(_ index: Int, games: Int) throws {
      guard games > 0 else { return }
      let evaluator = Evaluator(
        environment: environment, seed: seed &+ UInt64(index) &* 7919 &+ UInt64(rungs[index].result.games))
      rungs[index].result = rungs[index].result.adding(
        try evaluator.run(team, against: EvaluationTeam(.bot(rungs[index].bot)), games: games))
      progress(rungs[index])
    }
    let probe = max(2, games / (2 * rungs.count) / 2 * 2)
    for index in rungs.indices { try play(index, games: probe) }
    let focus = rungsNear(fit(rungs).rating, in: rungs)
    let rest = max(0, games - probe * rungs.count)
    for (order, index) in focus.enumerated() {
      try play(index, games: rest / focus.count + (order < rest % focus.count ? 1 : 0))
    }
    let (rating, interval) = fit(rungs)
    return LadderEvaluation(rungs: rungs, rating: rating, interval: interval)
  }

  /// The agent's rating from its results so far.
  private static func fit(_ rungs: [Rung]) -> (rating: Double, interval: ClosedRange<Double>) {
    EloFit.rating(of: rungs.map(\.result), against: rungs.map(\.elo))
  }

  /// The indices of the rungs within 400 points of `rating` and of the nearest rung on either side.
  private static func rungsNear(_ rating: Double, in rungs: [Rung]) -> [Int] {
    let below = rungs.indices.last { rungs[$0].elo <= rating }
    let above = rungs.indices.first { rungs[$0].elo > rating }
    let near = rungs.indices.filter { abs(rungs[$0].elo - rating) <= 400 }
    return Array(Set(near + [below, above].compactMap { $0 })).sorted()
  }
}
