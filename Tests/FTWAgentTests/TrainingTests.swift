import FTWAgent
import FTWAgentTestSupport
import FTWEnvironments
import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

/// A trainer of a new run in `url`.
func newTrainer(_ configuration: TrainingConfiguration, at url: URL) throws -> Trainer {
  try Trainer(
    configuration: configuration, run: RunFolder.create(at: url, configuration: configuration), resume: false)
}

@Suite struct TrainingTests {
  @Test(arguments: PolicyKind.allCases)
  func actorsCutTrajectoriesOfTPlusOneSteps(policy: PolicyKind) throws {
    let configuration = tinyConfiguration(policy: policy)
    let actor = try GameActor(configuration: configuration, index: 0)
    var generator = RandomGenerator(seed: 1)
    actor.load(try Agent(configuration: configuration, generator: &generator).snapshot(version: 0))
    var results: [GameRecord] = []
    for window in 0..<4 {
      let trajectory = try actor.nextTrajectory()
      let components = policy == .decomposed ? [4] : []
      #expect(trajectory.actions.shape == [6, 2] + components)
      #expect(trajectory.inputs.observation.shape == [6, 2, 32, 32, 3])
      #expect(trajectory.rewards.shape == [6, 2, GameEvent.allCases.count])
      #expect(trajectory.behaviourLogits.shape == [6, 2, policy == .decomposed ? 13 : 90])
      // The game of 20 steps ends with the fourth trajectory: its last transition has discount 0.
      let discounts = trajectory.discounts.scalars
      #expect(Array(discounts[8..<10]) == (window == 3 ? [0, 0] : [1, 1]))
      results += actor.takeGames()
    }
    #expect(results.count == 2)
  }

  /// Within a game, trajectory k's last step is trajectory k + 1's first: the same observation,
  /// input, action and behaviour logits; the next game starts afresh.
  @Test func consecutiveTrajectoriesShareTheirBoundaryStep() throws {
    let configuration = tinyConfiguration()
    let actor = try GameActor(configuration: configuration, index: 0)
    var generator = RandomGenerator(seed: 2)
    actor.load(try Agent(configuration: configuration, generator: &generator).snapshot(version: 0))
    let trajectories = try (0..<5).map { _ in try actor.nextTrajectory() }
    let last = configuration.learning.unrollLength
    func step(_ tensor: Tensor, _ t: Int) -> [Float] { tensor.slice(t..<(t + 1), alongAxis: 0).scalars }
    for (k, (before, after)) in zip(trajectories, trajectories.dropFirst()).enumerated() {
      // The game of 20 steps is four trajectories of 5; the fifth begins the next game.
      let shared = k < 3
      let (end, start) = (
        step(before.inputs.observation.scaled(), last), step(after.inputs.observation.scaled(), 0)
      )
      #expect((end == start) == shared, "\(k)")
      guard shared else { continue }
      #expect(step(before.behaviourLogits, last) == step(after.behaviourLogits, 0))
      #expect(step(before.inputs.reward, last) == step(after.inputs.reward, 0))
      let width = before.actions.scalars.count / (last + 1)
      #expect(
        Array(before.actions.scalars[(last * width)...]) == Array(after.actions.scalars[..<width]))
    }
  }

  @Test(arguments: OpponentKind.allCases)
  func everyKindOfOpponentPlays(opponent: OpponentKind) throws {
    var configuration = tinyConfiguration()
    configuration.world.opponent = opponent
    configuration.acting.gamesPerActor = 4
    configuration.acting.snapshotInterval = 1
    let actor = try GameActor(configuration: configuration, index: 0)
    var generator = RandomGenerator(seed: 1)
    let agent = try Agent(configuration: configuration, generator: &generator)
    actor.load(agent.snapshot(version: 0))
    for window in 0..<8 {
      if window == 4 { actor.load(agent.snapshot(version: 1)) }
      #expect(try actor.nextTrajectory().actions.shape == [6, 4, 4])
    }
    #expect(actor.takeGames().count == 8)
  }

  @Test func theValueLossFallsOnABatchTrainedOn() throws {
    // With discount 0 the value targets are the rewards themselves (no bootstrapping that moves
    // them as the values learn): the value loss is a regression that training must shrink.
    var configuration = tinyConfiguration()
    configuration.learning.discount = 0
    configuration.learning.learningRate = 1e-4
    try withTemporaryFolder { folder in
      let trainer = try newTrainer(configuration, at: folder.appendingPathComponent("run"))
      let actor = try GameActor(configuration: configuration, index: 0)
      actor.load(trainer.agent.snapshot(version: 0))
      var batch = try actor.nextTrajectory()
      // Every other step, a flag is picked up: returns worth learning.
      let events = GameEvent.allCases.count
      batch.rewards = Tensor(shape: batch.rewards.shape) { buffer in
        for index in buffer.indices {
          buffer[index] = index % events == 1 && (index / (2 * events)) % 2 == 0 ? 1 : 0
        }
      }
      let before = trainer.learner.loss(batch).impala.criticLoss.scalar
      for _ in 0..<100 { _ = try trainer.learner.step(batch) }
      let after = trainer.learner.loss(batch).impala.criticLoss.scalar
      #expect(after < before / 2, "critic loss \(before) -> \(after)")
    }
  }

  @Test func deterministicRunsAreIdentical() throws {
    let configuration = tinyConfiguration()
    func train(in folder: URL) throws -> [MetricsRow] {
      let trainer = try newTrainer(configuration, at: folder)
      let run = trainer.run
      try trainer.train(budget: TrainingBudget(frames: 400), stop: StopSignal()) { _ in }
      return run.metrics()
    }
    try withTemporaryFolder { folder in
      let first = try train(in: folder.appendingPathComponent("a"))
      let second = try train(in: folder.appendingPathComponent("b"))
      #expect(first.count == 4)
      func learning(_ rows: [MetricsRow]) -> [[Double]] {
        rows.map {
          [
            Double($0.frames), Double($0.games), $0.loss, $0.policyLoss, $0.criticLoss, $0.klLoss,
            $0.gradientNorm,
          ]
        }
      }
      #expect(learning(first) == learning(second))
      // One actor in lock step with the learner acts every trajectory with the newest weights.
      #expect(first.allSatisfy { $0.lagMedian == 0 && $0.lagMaximum == 0 })
    }
  }

  @Test func theLearningRateFallsLinearlyToZeroOverTheDecayFrames() throws {
    var configuration = tinyConfiguration()
    configuration.learning.learningRateDecayFrames = 300
    let framesPerBatch = configuration.learning.unrollLength * configuration.batchSize
    try withTemporaryFolder { folder in
      let trainer = try newTrainer(configuration, at: folder.appendingPathComponent("run"))
      var steps: [(framesBefore: Int, rate: Float)] = []
      try trainer.train(budget: TrainingBudget(frames: 500), stop: StopSignal()) { progress in
        steps.append((progress.frames - framesPerBatch, progress.metrics.learningRate))
      }
      #expect(steps.count == 500 / framesPerBatch)
      for (frames, rate) in steps {
        let expected = configuration.learning.learningRate * max(0, 1 - Float(frames) / 300)
        #expect(abs(rate - expected) <= 1e-9, "\(frames) frames: \(rate) vs \(expected)")
      }
      #expect(steps.first!.rate == configuration.learning.learningRate && steps.last!.rate == 0)
    }
  }

  @Test func aResumedRunContinuesFromItsCheckpoint() throws {
    let configuration = tinyConfiguration()
    try withTemporaryFolder { folder in
      let url = folder.appendingPathComponent("run")
      let first = try newTrainer(configuration, at: url)
      try first.train(budget: TrainingBudget(frames: 200), stop: StopSignal()) { _ in }
      let (reopened, saved) = try RunFolder.open(at: url)
      #expect(saved == configuration)
      let resumed = try Trainer(configuration: saved, run: reopened, resume: true)
      #expect(resumed.learner.stepCount == first.learner.stepCount)
      #expect(resumed.frames == first.frames && resumed.games == first.games)
      let before = first.learner.optimizer.state
      let after = resumed.learner.optimizer.state
      #expect(before.keys.sorted() == after.keys.sorted())
      for key in before.keys { #expect(before[key]!.scalars == after[key]!.scalars, "\(key)") }
      for ((_, a), (_, b)) in zip(
        first.agent.network.namedParameters(), resumed.agent.network.namedParameters())
      {
        #expect(a.value.scalars == b.value.scalars)
      }
      // It goes on from there.
      try resumed.train(budget: TrainingBudget(frames: 400), stop: StopSignal()) { _ in }
      #expect(resumed.frames == 400)
      #expect(reopened.metrics().map(\.frames) == [100, 200, 300, 400])
      // TensorBoard's file holds every column of every row kept, at the row's frames.
      let events = try EventFile(url: reopened.tensorBoard.url).events
      #expect(events.map(\.step) == [100, 200, 300, 400])
      for (event, row) in zip(events, reopened.metrics()) {
        let columns = zip(MetricsRow.columns, row.values).compactMap { name, value in value.map { (name, $0) }
        }
        #expect(event.scalars.map(\.tag) == columns.map(\.0))
        // metrics.csv prints one decimal or six significant digits; the events keep floats.
        for (scalar, (_, value)) in zip(event.scalars, columns) {
          #expect(abs(Double(scalar.value) - value) <= 0.05 + 1e-5 * abs(value), "\(scalar.tag)")
        }
      }
    }
  }

  @Test func aDamagedCheckpointIsRefusedAndTheOneBeforeUsed() throws {
    let configuration = tinyConfiguration()
    try withTemporaryFolder { folder in
      let url = folder.appendingPathComponent("run")
      let trainer = try newTrainer(configuration, at: url)
      let run = trainer.run
      try trainer.train(budget: TrainingBudget(frames: 100), stop: StopSignal()) { _ in }
      try trainer.train(budget: TrainingBudget(frames: 200), stop: StopSignal()) { _ in }
      let steps = run.checkpoints.steps()
      #expect(steps.count == 2)
      let newest = run.checkpoints.url.appendingPathComponent(String(format: "step-%09d", steps[1]))
        .appendingPathComponent("state.safetensors")
      var bytes = try Data(contentsOf: newest)
      bytes[bytes.count / 2] ^= 0xFF
      try bytes.write(to: newest)
      let resumed = try Trainer(configuration: configuration, run: run, resume: true)
      #expect(resumed.refusedCheckpoints.count == 1)
      #expect(resumed.refusedCheckpoints[0].reason.contains("checksum"))
      #expect(resumed.learner.stepCount == steps[0])
      #expect(resumed.frames == 100)
      let (agent, step, refused) = try Agent.load(from: url)
      #expect(step == steps[0] && refused.count == 1)
      #expect(agent.network.parameterCount == trainer.agent.network.parameterCount)
    }
  }

  @Test func threadedActorsFeedTheLearner() throws {
    var configuration = tinyConfiguration()
    configuration.run.deterministic = false
    configuration.acting.actors = 2
    try withTemporaryFolder { folder in
      let trainer = try newTrainer(configuration, at: folder.appendingPathComponent("run"))
      let run = trainer.run
      var reports = 0
      try trainer.train(budget: TrainingBudget(frames: 300), stop: StopSignal()) { _ in reports += 1 }
      #expect(reports == 30)  // T · B = 10 frames a step
      #expect(trainer.learner.stepCount == 30)
      #expect(FileManager.default.fileExists(atPath: run.curveURL.path))
    }
  }

  @Test func badConfigurationsAreRefusedWithTheReason() {
    var cases: [(TrainingConfiguration, String)] = []
    var configuration = tinyConfiguration()
    configuration.world.stepsPerGame = 21
    cases.append((configuration, "multiple of unrollLength"))
    configuration = tinyConfiguration()
    configuration.world.arena = "castle"
    cases.append((configuration, "arena must be one of"))
    configuration = tinyConfiguration()
    configuration.learning.internalRewards = [1]
    cases.append((configuration, "internalRewards needs \(GameEvent.allCases.count)"))
    configuration = tinyConfiguration()
    configuration.learning.learningRate = 0
    cases.append((configuration, "learningRate"))
    configuration = tinyConfiguration()
    configuration.learning.learningRateDecayFrames = -1
    cases.append((configuration, "learningRateDecayFrames must be in 0..."))
    configuration = tinyConfiguration()
    configuration.world.teamSize = 9
    cases.append((configuration, "teamSize must be in 1...8"))
    for (configuration, reason) in cases {
      do {
        try configuration.validate()
        Issue.record("accepted \(reason)")
      } catch {
        #expect("\(error)".contains(reason), "\(error)")
      }
    }
  }

  @Test func evaluationsCountEveryGameAndBoundTheWinRate() throws {
    var environment = try tinyConfiguration().world.environmentConfiguration()
    environment.stepsPerGame = 400
    let result = try Evaluator(environment: environment, seed: 3, parallel: 3).run(
      .bot(.scripted), against: .bot(.random), games: 7)
    #expect(result.games == 7)
    #expect(result.wins >= 5 && result.losses == 0, "\(result)")
    var tally = EvaluationResult()
    tally.wins = 80
    tally.losses = 20
    let interval = tally.winRateInterval
    #expect(abs(interval.lowerBound - 0.7112) < 1e-3 && abs(interval.upperBound - 0.8666) < 1e-3)
    var generator = RandomGenerator(seed: 1)
    let agent = try Agent(configuration: tinyConfiguration(), generator: &generator)
    let played = try Evaluator(environment: environment, seed: 3).run(
      .agent(agent), against: .bot(.random), games: 2)
    #expect(played.games == 2)
  }

  @Test func auxiliaryTasksLearnFromTheirReplays() throws {
    var configuration = tinyConfiguration()
    configuration.world.viewSize = 84
    configuration.auxiliary.pixelControlCost = 0.01
    configuration.auxiliary.rewardPredictionCost = 0.1
    configuration.auxiliary.pixelControlReplaySize = 2
    try withTemporaryFolder { folder in
      let trainer = try newTrainer(configuration, at: folder.appendingPathComponent("run"))
      let run = trainer.run
      #expect(trainer.auxiliaryTasks.modules.keys.sorted() == ["pixel_control", "reward_prediction"])
      let actor = try GameActor(configuration: configuration, index: 0)
      actor.load(trainer.agent.snapshot(version: 0))
      var trajectory = try actor.nextTrajectory()
      trajectory.rewards = Tensor(zeros: trajectory.rewards.shape)
      trainer.auxiliaryTasks.remember(trajectory)
      let losses = try trainer.auxiliaryTasks.step(trainer.learner)
      #expect(losses.pixelControl > 0)
      // Reward prediction waits for sequences followed by a reward and by none.
      #expect(losses.rewardPrediction == 0)
      var rewarding = trajectory
      rewarding.rewards = Tensor(shape: trajectory.rewards.shape) { buffer in
        for index in buffer.indices { buffer[index] = index % GameEvent.allCases.count == 0 ? 1 : 0 }
      }
      trainer.auxiliaryTasks.remember(rewarding)
      for _ in 0..<20 { trainer.auxiliaryTasks.remember(trajectory) }
      #expect(try trainer.auxiliaryTasks.step(trainer.learner).rewardPrediction > 0)
      // The checkpoint keeps them, and a resumed trainer reads them back.
      try trainer.saveCheckpoint(wallSeconds: 1)
      let resumed = try Trainer(configuration: configuration, run: run, resume: true)
      let saved = trainer.auxiliaryTasks.modules["pixel_control"]!.namedParameters()
      let loaded = resumed.auxiliaryTasks.modules["pixel_control"]!.namedParameters()
      for ((_, a), (_, b)) in zip(saved, loaded) { #expect(a.value.scalars == b.value.scalars) }
    }
  }
}
