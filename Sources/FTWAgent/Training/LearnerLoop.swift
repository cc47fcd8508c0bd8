/// One learner step of a member, as the loop hands it to the run that watches it.
struct LearnerStep {
  /// The member that stepped.
  let member: Int
  /// Its learner step's losses.
  let metrics: LearnerMetrics
  /// Its auxiliary tasks' losses (costs applied; 0 when off).
  let auxiliary: (pixelControl: Float, rewardPrediction: Float)
  /// Seconds into the run (every session's) after the step.
  let seconds: Double
  /// The run's frames per second over its last few steps.
  let framesPerSecond: Double
  /// The member's policy lag over its last 10 steps, this one included.
  let lag: PolicyLag
}

/// What the learner loop trains and what watches it: one agent (``Trainer``, a population of one)
/// or a population (``PopulationTrainer``, whose Elo ratings, matchmaking and evolution observe
/// the games and the steps).
protocol LearnerLoopRun: AnyObject {
  /// The members' configuration.
  var configuration: TrainingConfiguration { get }
  /// The members trained.
  var memberCount: Int { get }
  /// The frames trained on so far, every member's.
  var framesTrained: Int { get }
  /// The seconds of training of the sessions before this one.
  var earlierSeconds: Double { get }
  /// `member`'s agent, learner and auxiliary tasks.
  func parts(of member: Int) -> (agent: Agent, learner: FtwLearner, auxiliaryTasks: AuxiliaryTasks)
  /// `external`, handed every member's weights (and what else its actors need), or actor threads.
  func startSource(_ external: (any ExperienceSource)?) throws -> any ExperienceSource
  /// Takes in games that ended.
  func observe(_ games: [GameRecord])
  /// Counts `frames` more frames trained on by `member`.
  func count(frames: Int, of member: Int)
  /// Takes in a member's step (an evolution may follow it), logs it, and says how the run stands.
  func learned(_ step: LearnerStep) throws -> TrainingProgress
  /// Publishes what the actors need besides the members' weights (a population's ratings).
  func publishState(to source: any ExperienceSource)
  /// Checkpoints the run at `seconds` into it.
  func saveCheckpoint(wallSeconds: Double) throws
  /// Ends the session at `seconds` into the run: its last rows and checkpoint.
  func finishSession(wallSeconds: Double) throws
}

extension LearnerLoopRun {
  /// The learner loop: trains until `budget` is spent or `stop` is raised, then ends the session.
  /// Each experience from the source (`external`, else actor threads) is one learner step of its
  /// member (its policy lag measured by the weights version the experience carries), a step of the member's auxiliary tasks, and its new weights published to the actors;
  /// a checkpoint is taken every `checkpointMinutes`. `report` is called on the calling thread
  /// after every step.
  func runLearnerLoop(
    budget: TrainingBudget, stop: StopSignal, source external: (any ExperienceSource)?,
    report: (TrainingProgress) -> Void
  ) throws {
    var clock = SessionClock(
      budget: budget, stop: stop, checkpointMinutes: configuration.run.checkpointMinutes)
    var rateWindow = RateWindow(steps: 20 * memberCount)
    var lags = [PolicyLag](repeating: PolicyLag(steps: 10), count: memberCount)
    let earlier = earlierSeconds
    let source = try startSource(external)
    defer { source.finish() }
    while !clock.isSpent(frames: framesTrained), let experience = try source.next() {
      observe(experience.games)
      let (agent, learner, auxiliaryTasks) = parts(of: experience.member)
      learner.learningRateScale = configuration.learning.learningRateScale(afterFrames: framesTrained)
      let lag = learner.stepCount - experience.weightsVersion
      let metrics = try learner.step(experience.trajectory)
      lags[experience.member].add(lag: lag, clippedShare: metrics.clippedImportanceShare)
      auxiliaryTasks.remember(experience.trajectory)
      let auxiliary = try auxiliaryTasks.step(learner)
      count(frames: experience.trajectory.frames, of: experience.member)
      let seconds = earlier + clock.seconds
      let progress = try learned(
        LearnerStep(
          member: experience.member, metrics: metrics, auxiliary: auxiliary, seconds: seconds,
          framesPerSecond: rateWindow.add(seconds: seconds, frames: framesTrained),
          lag: lags[experience.member]))
      source.publish(agent.snapshot(version: learner.stepCount), of: experience.member)
      publishState(to: source)
      report(progress)
      if clock.checkpointIsDue() { try saveCheckpoint(wallSeconds: earlier + clock.seconds) }
    }
    try finishSession(wallSeconds: earlier + clock.seconds)
  }
}
