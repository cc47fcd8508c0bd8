import FTWEnvironments
import FTWLayers
import FTWNetworks
import FTWTensor
import Foundation
import Synchronization

/// How long a training session may run: whichever limit comes first.
public struct TrainingBudget: Sendable, Equatable {
  /// Minutes of this session.
  public var minutes: Double?
  /// Frames in all (the run's total, so a resumed run stops at the same count).
  public var frames: Int?

  /// Creates a budget; no limit means until stopped.
  public init(minutes: Double? = nil, frames: Int? = nil) {
    self.minutes = minutes
    self.frames = frames
  }
}

/// Where a run stands, reported after every learner step.
public struct TrainingProgress: Sendable {
  /// Frames trained on, over the whole run.
  public var frames: Int
  /// Frames per second over the last few learner steps.
  public var framesPerSecond: Double
  /// Learner steps, over the whole run.
  public var learnerSteps: Int
  /// Games finished, over the whole run.
  public var games: Int
  /// Over the last (up to) 100 games: the fraction won, the agent's and the other team's mean
  /// captures.
  public var winRate: Double
  public var captures: Double
  public var opponentCaptures: Double
  /// The agent team's mean flag pick-ups over the last games.
  public var pickups: Double
  /// Seconds of training, over the whole run.
  public var wallSeconds: Double
  /// The last learner step's losses.
  public var metrics: LearnerMetrics
  /// The last auxiliary losses (costs applied; 0 when off).
  public var pixelControlLoss: Float
  public var rewardPredictionLoss: Float
}

extension TrainingProgress {
  /// The progress of a member whose last games are `recent`.
  init(
    frames: Int, framesPerSecond: Double, learnerSteps: Int, games: Int, recent: RecentGames,
    wallSeconds: Double,
    metrics: LearnerMetrics, auxiliary: (pixelControl: Float, rewardPrediction: Float)
  ) {
    self.init(
      frames: frames, framesPerSecond: framesPerSecond, learnerSteps: learnerSteps, games: games,
      winRate: recent.winRate, captures: recent.captures, opponentCaptures: recent.opponentCaptures,
      pickups: recent.pickups, wallSeconds: wallSeconds, metrics: metrics,
      pixelControlLoss: auxiliary.pixelControl, rewardPredictionLoss: auxiliary.rewardPrediction)
  }
}

/// A flag another thread (a signal handler) sets to end training at the next learner step.
public final class StopSignal: Sendable {
  private let flag = Atomic<Bool>(false)

  /// A signal not yet raised.
  public init() {}

  /// Asks training to stop.
  public func raise() { flag.store(true, ordering: .sequentiallyConsistent) }

  /// Whether it was raised.
  public var isRaised: Bool { flag.load(ordering: .sequentiallyConsistent) }
}

/// Trains an agent in one process: actor threads play games and send trajectories through an
/// ``ExperienceQueue``; the learner (on the calling thread) takes a V-trace/RMSProp step on each,
/// publishes the new weights, takes a step of each auxiliary task (``AuxiliaryTasks``), logs
/// metrics and checkpoints the run.
///
/// With `configuration.deterministic`, one actor and the learner take turns on the calling thread,
/// so two runs from one seed are bit-identical.
///
/// ```swift
/// let trainer = try Trainer(configuration: configuration, run: run, resume: false)
/// try trainer.train(budget: TrainingBudget(minutes: 30), stop: StopSignal()) { progress in print(progress.frames) }
/// ```
public final class Trainer {
  /// The run's configuration.
  public let configuration: TrainingConfiguration
  /// The run's folder.
  public let run: RunFolder
  /// The learner's agent.
  public let agent: Agent
  /// The learner.
  public let learner: FtwLearner
  /// Pixel control and reward prediction.
  public let auxiliaryTasks: AuxiliaryTasks
  /// Checkpoints refused on resuming (damaged or half-written), newest first, with the reason.
  public private(set) var refusedCheckpoints: [CheckpointError] = []

  public private(set) var frames = 0
  public private(set) var games = 0
  private var previousSeconds: Double = 0
  private var recent = RecentGames()

  /// Prepares a run; with `resume`, restores the newest checkpoint that loads.
  public init(configuration: TrainingConfiguration, run: RunFolder, resume: Bool) throws {
    try configuration.validate()
    self.configuration = configuration
    self.run = run
    var generator = RandomGenerator(seed: configuration.run.seed)
    agent = try Agent(configuration: configuration, generator: &generator)
    learner = try FtwLearner(agent: agent, configuration: configuration, generator: &generator)
    auxiliaryTasks = try AuxiliaryTasks(agent: agent, configuration: configuration, generator: &generator)
    if resume { try restore() }
  }

  private func restore() throws {
    let (checkpoint, refused) = try run.checkpoints.loadNewestValid()
    refusedCheckpoints = refused
    try learner.restore(
      from: checkpoint, configuration: configuration.checkpointEntries, extraModules: auxiliaryTasks.modules)
    let counters = checkpoint.manifest.counters ?? [:]
    frames = counters["frames"] ?? 0
    games = counters["games"] ?? 0
    previousSeconds = Double(counters["wall_milliseconds"] ?? 0) / 1000
    try run.trimMetrics(after: frames)
  }

  /// Writes a checkpoint of the learner and the run's counts.
  public func saveCheckpoint(wallSeconds: Double) throws {
    try learner.save(
      to: run.checkpoints, configuration: configuration.checkpointEntries,
      extraModules: auxiliaryTasks.modules,
      counters: ["frames": frames, "games": games, "wall_milliseconds": Int(wallSeconds * 1000)])
    try run.drawLearningCurve()
  }

  /// Trains until the budget is spent or `stop` is raised, then checkpoints. `report` is called on
  /// the calling thread after every learner step. Experience comes from `source` when given (which
  /// is handed the learner's weights first, and finished at the end), else from actor threads the
  /// trainer starts.
  public func train(
    budget: TrainingBudget, stop: StopSignal, source external: (any ExperienceSource)? = nil,
    report: (TrainingProgress) -> Void
  ) throws {
    var clock = SessionClock(
      budget: budget, stop: stop, checkpointMinutes: configuration.run.checkpointMinutes)
    var rateWindow = RateWindow(steps: 20)
    let weights = agent.snapshot(version: learner.stepCount)
    let source: any ExperienceSource
    if let external {
      external.publish(weights, of: 0)
      source = external
    } else {
      source = try makeExperienceSource(configuration: configuration, weights: [weights])
    }
    defer { source.finish() }
    while !clock.isSpent(frames: frames), let experience = try source.next() {
      learner.learningRateScale = configuration.learning.learningRateScale(afterFrames: frames)
      let metrics = try learner.step(experience.trajectory)
      source.publish(agent.snapshot(version: learner.stepCount), of: 0)
      auxiliaryTasks.remember(experience.trajectory)
      let auxiliary = try auxiliaryTasks.step(learner)
      frames += experience.trajectory.frames
      let results = experience.games.compactMap { game in game.team(of: 0).map { game.result(forTeam: $0) } }
      games += results.count
      recent.append(results)
      let now = previousSeconds + clock.seconds
      let progress = TrainingProgress(
        frames: frames, framesPerSecond: rateWindow.add(seconds: now, frames: frames),
        learnerSteps: learner.stepCount, games: games, recent: recent, wallSeconds: now, metrics: metrics,
        auxiliary: auxiliary)
      report(progress)
      if learner.stepCount % 10 == 0 { try run.append(MetricsRow(progress)) }
      if clock.checkpointIsDue() { try saveCheckpoint(wallSeconds: now) }
    }
    try saveCheckpoint(wallSeconds: previousSeconds + clock.seconds)
  }
}

extension MetricsRow {
  /// The row of a progress report.
  init(_ progress: TrainingProgress) {
    let metrics = progress.metrics
    let kl = Double(metrics.klPriorFixedLoss) + Double(metrics.klPriorPosteriorLoss)
    self.init(
      wallSeconds: progress.wallSeconds, frames: progress.frames, learnerSteps: progress.learnerSteps,
      games: progress.games, framesPerSecond: progress.framesPerSecond, winRate: progress.winRate,
      captures: progress.captures, opponentCaptures: progress.opponentCaptures, pickups: progress.pickups,
      loss: Double(metrics.loss), policyLoss: Double(metrics.policyGradientLoss),
      criticLoss: Double(metrics.criticLoss), entropyLoss: Double(metrics.entropyLoss), klLoss: kl,
      pixelControlLoss: Double(progress.pixelControlLoss),
      rewardPredictionLoss: Double(progress.rewardPredictionLoss), gradientNorm: Double(metrics.gradientNorm))
  }
}
