/// Where a run stands, reported after every learner step: the run's counts, the member that just
/// stepped with its losses and its last games, and for a population every member's rating and
/// the evolution that followed the step, if one did.
///
/// ```swift
/// try trainer.train(budget: TrainingBudget(minutes: 30), stop: StopSignal()) { progress in
///   print(progress.frames, progress.winRate, progress.ratings)
/// }
/// ```
public struct TrainingProgress: Sendable {
  /// Frames trained on, over the whole run (every member's).
  public var frames: Int
  /// Frames per second over the last few learner steps.
  public var framesPerSecond: Double
  /// Games finished, over the whole run.
  public var games: Int
  /// Seconds of training, over the whole run.
  public var wallSeconds: Double
  /// The member that just took a learner step (0 for a single agent).
  public var member: Int
  /// The member's learner steps, over the whole run.
  public var learnerSteps: Int
  /// The member's step's losses.
  public var metrics: LearnerMetrics
  /// The member's last auxiliary losses (costs applied; 0 when off).
  public var pixelControlLoss: Float
  public var rewardPredictionLoss: Float
  /// Over the member's last (up to) 100 games, from its side: the fraction won, its team's and
  /// the other team's mean captures, and its team's mean flag pick-ups.
  public var winRate: Double
  public var captures: Double
  public var opponentCaptures: Double
  public var pickups: Double
  /// The agent's rating on the bot ladder's scale from its latest league games (`nil` without a
  /// league, or before it has met two rungs).
  public var ladderElo: Double?
  /// The member's policy lag and V-trace's clipped share over its last 10 learner steps.
  public var lag: PolicyLag
  /// A population's: every member's Elo rating (empty for a single agent) and generation.
  public var ratings: [Double] = []
  public var generations: [Int] = []
  /// A population's exploits so far, and the one that followed this step.
  public var evolutions = 0
  public var evolution: EvolutionEvent?
}

extension TrainingProgress {
  /// The progress after `step` of a member that has taken `learnerSteps` steps and whose last
  /// games are `recent`, in a run at `frames` frames and `games` games.
  init(frames: Int, games: Int, learnerSteps: Int, recent: RecentGames, step: LearnerStep) {
    self.init(
      frames: frames, framesPerSecond: step.framesPerSecond, games: games, wallSeconds: step.seconds,
      member: step.member, learnerSteps: learnerSteps, metrics: step.metrics,
      pixelControlLoss: step.auxiliary.pixelControl, rewardPredictionLoss: step.auxiliary.rewardPrediction,
      winRate: recent.winRate, captures: recent.captures, opponentCaptures: recent.opponentCaptures,
      pickups: recent.pickups, lag: step.lag)
  }
}
