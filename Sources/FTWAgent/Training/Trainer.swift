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
  /// The league the opponents come from, against the `league` opponent.
  public let league: League?
  /// The scale the league's games rate the agent on.
  private let ladder: BotLadder?

  public private(set) var frames = 0
  public private(set) var games = 0
  private var previousSeconds: Double = 0
  private var recent = RecentGames()

  /// Prepares a run; with `resume`, restores the newest checkpoint that loads.
  public init(configuration: TrainingConfiguration, run: RunFolder, resume: Bool) throws {
    try configuration.validate()
    self.configuration = configuration
    self.run = run
    var generator = RandomGenerator(seed: configuration.seeds.seed(for: .member(0)))
    agent = try Agent(configuration: configuration, generator: &generator)
    learner = try FtwLearner(agent: agent, configuration: configuration, generator: &generator)
    auxiliaryTasks = try AuxiliaryTasks(agent: agent, configuration: configuration, generator: &generator)
    league = configuration.world.makeLeagues().first
    ladder = league == nil ? nil : try BotLadder.bundled()
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

  /// Trains until the budget is spent or `stop` is raised, then checkpoints (the learner loop,
  /// ``LearnerLoopRun/runLearnerLoop(budget:stop:source:report:)``). `report` is called on the
  /// calling thread after every learner step. Experience comes from `source` when given (which is
  /// handed the learner's weights first, and finished at the end), else from actor threads the
  /// trainer starts.
  public func train(
    budget: TrainingBudget, stop: StopSignal, source: (any ExperienceSource)? = nil,
    report: (TrainingProgress) -> Void
  ) throws {
    try runLearnerLoop(budget: budget, stop: stop, source: source, report: report)
  }
}

/// The single agent is a population of one, against bots or its own snapshots.
extension Trainer: LearnerLoopRun {
  var memberCount: Int { 1 }
  var earlierSeconds: Double { previousSeconds }

  func parts(of member: Int) -> (agent: Agent, learner: FtwLearner, auxiliaryTasks: AuxiliaryTasks) {
    (agent, learner, auxiliaryTasks)
  }

  func startSource(_ external: (any ExperienceSource)?) throws -> any ExperienceSource {
    let weights = agent.snapshot(version: learner.stepCount)
    guard let external else {
      return try makeExperienceSource(
        configuration: configuration, weights: [weights], leagues: league.map { [$0] })
    }
    external.publish(weights, of: 0)
    return external
  }

  func observe(_ games: [GameRecord]) {
    let results = games.compactMap { game in game.team(of: 0).map { game.result(forTeam: $0) } }
    self.games += results.count
    recent.append(results)
  }

  func count(frames: Int, of member: Int) { self.frames += frames }

  func learned(_ step: LearnerStep) throws -> TrainingProgress {
    var progress = TrainingProgress(
      frames: frames, games: games, learnerSteps: learner.stepCount, recent: recent, step: step)
    if let league, let ladder { progress.ladderElo = league.ladderRating(on: ladder)?.rating }
    if learner.stepCount % 10 == 0 { try run.append(MetricsRow(progress)) }
    return progress
  }

  func publishState(to source: any ExperienceSource) {}

  func finishSession(wallSeconds: Double) throws { try saveCheckpoint(wallSeconds: wallSeconds) }
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
      rewardPredictionLoss: Double(progress.rewardPredictionLoss), gradientNorm: Double(metrics.gradientNorm),
      ladderElo: progress.ladderElo, lagMedian: progress.lag.median, lagMaximum: Double(progress.lag.maximum),
      clippedImportanceShare: progress.lag.clippedShare)
  }
}
