import FTWAgent
import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

/// A small FTW network and its learner, all from `seed`.
func makeLearner(seed: UInt64, learningRate: Float = 3e-3) throws -> FtwLearner {
  var g = RandomGenerator(seed: seed)
  let torso = try FtwTorso(
    observationShape: [12, 12, 3], convFilters: [ConvFilter(4, 4, 2)], residualFilters: [ConvFilter(4, 3, 1)],
    hiddenSize: 8, generator: &g)
  let embed = try OAREmbedding(torso: torso, numActions: [3])
  let rpth = try RPTH(
    inputSize: embed.outputSize, period: [2],
    options: VariationalUnitOptions(hiddenSize: 6, numDimensions: 4), generator: &g)
  let network = try FtwNetwork(embed: embed, core: rpth, numActions: 3, headHiddenSize: 8, generator: &g)
  let hyperparameters = LearnerHyperparameters(
    learningRate: try FloatHyperparameter(
      name: "learning_rate", initialValue: .exact(learningRate), generator: &g),
    entropyCost: try FloatHyperparameter(name: "entropy_cost", initialValue: .exact(0.01), generator: &g),
    slowCorePeriod: try IntHyperparameter(
      name: "slow_core_period", range: 2...4, initialValue: 2, generator: &g))
  var configuration = LearnerConfiguration()
  configuration.maxGradientNorm = 40
  return FtwLearner(network: network, hyperparameters: hyperparameters, configuration: configuration)
}

/// A fixed batch `[T+1 = 5, B = 2]` of random experience.
func makeBatch(_ learner: FtwLearner, seed: UInt64) -> TrajectoryBatch {
  var g = RandomGenerator(seed: seed)
  let (length, batch) = (5, 2)
  let actions = IndexTensor(
    shape: [length, batch], scalars: (0..<(length * batch)).map { _ in Int32(g.next() % 3) })
  let inputs = ObservationActionReward(
    observation: Tensor(randomUniform: [length, batch, 12, 12, 3], generator: &g), action: actions,
    reward: Tensor(randomNormal: [length, batch], generator: &g))
  return TrajectoryBatch(
    inputs: inputs, actions: actions, rewards: Tensor(randomNormal: [length, batch], generator: &g),
    discounts: Tensor(shape: [length, batch], scalars: [1, 1, 1, 0, 1, 1, 1, 1, 1, 1]),
    behaviourLogits: Tensor(randomNormal: [length, batch, 3], generator: &g),
    initialState: learner.network.initialState(batchSize: batch))
}

let configuration = ["network": "small-test", "actions": "3"]

@Suite struct LearnerTests {
  @Test func stepsLowerTheLossOnAFixedBatch() throws {
    let learner = try makeLearner(seed: 1)
    let batch = makeBatch(learner, seed: 2)
    func loss() -> Float {
      learner.network.core.generator = RandomGenerator(seed: 3)
      return learner.loss(batch).loss.scalar
    }
    let before = loss()
    for _ in 0..<8 {
      learner.network.core.generator = RandomGenerator(seed: 3)
      let metrics = try learner.step(batch)
      #expect(metrics.loss.isFinite && metrics.gradientNorm > 0)
    }
    let after = loss()
    #expect(after < before, "loss \(before) -> \(after)")
    #expect(learner.stepCount == 8)
  }

  @Test func learningRateDecaysLinearly() throws {
    let learner = try makeLearner(seed: 4)
    var decaying = learner.configuration
    decaying.learningRateDecaySteps = 4
    let decayed = FtwLearner(
      network: learner.network, hyperparameters: learner.hyperparameters, configuration: decaying)
    let batch = makeBatch(decayed, seed: 5)
    let rates = try (0..<5).map { _ in try decayed.step(batch).learningRate }
    #expect(close(Tensor(rates), [3e-3, 2.25e-3, 1.5e-3, 0.75e-3, 0]))
  }

  @Test func periodHyperparameterReachesTheSlowCore() throws {
    let learner = try makeLearner(seed: 6)
    var g = RandomGenerator(seed: 7)
    while learner.hyperparameters.slowCorePeriod.value == 2 {
      learner.hyperparameters.slowCorePeriod.perturb(generator: &g)
    }
    _ = try learner.step(makeBatch(learner, seed: 8))
    #expect(learner.network.core.slowCores[0].period == Float(learner.hyperparameters.slowCorePeriod.value))
  }

  @Test func auxiliaryStepsTrainTheirNetworks() throws {
    let learner = try makeLearner(seed: 9)
    var g = RandomGenerator(seed: 10)
    let torso = learner.network.embed.torso
    // Pixel control needs 84x84 frames for its 20x20 grid: a torso of its own here.
    let bigTorso = try FtwTorso(
      observationShape: [84, 84, 3], convFilters: [ConvFilter(4, 8, 4)], residualFilters: [], hiddenSize: 8,
      generator: &g)
    let pixelNetwork = try RNNPixelControlNetwork(
      embed: bigTorso, core: LSTM(inputSize: 8, hiddenSize: 5, generator: &g), numActions: 3, generator: &g)
    let frames = Tensor(randomUniform: [3, 1, 84, 84, 3], generator: &g)
    let before = pixelNetwork.parameterValues()
    let pcLoss = try learner.pixelControlStep(
      pixelNetwork, observations: frames, actions: IndexTensor(shape: [2, 1], scalars: [0, 2]),
      initialState: pixelNetwork.initialState(batchSize: 1))
    #expect(pcLoss.isFinite && pcLoss > 0)
    #expect(before.contains { !$0.value.isIdentical(to: pixelNetwork.parameterValues()[$0.key]!) })
    let rewardNetwork = try RewardPredictionNetwork(
      embed: torso, sequenceLength: 2, hiddenSize: 6, generator: &g)
    let rpLoss = try learner.rewardPredictionStep(
      rewardNetwork, frames: Tensor(randomUniform: [3, 2, 12, 12, 3], generator: &g),
      rewards: Tensor([0, -1, 2]))
    #expect(rpLoss.isFinite && rpLoss > 0)
  }
}

@Suite struct CheckpointTests {
  @Test func resumingEqualsNeverStopping() throws {
    try withTemporaryFolder { folder in
      let store = CheckpointStore(url: folder)
      let uninterrupted = try makeLearner(seed: 11)
      let batches = (0..<4).map { makeBatch(uninterrupted, seed: 100 + UInt64($0)) }
      var actor = RandomGenerator(seed: 12)
      for (index, batch) in batches.enumerated() {
        _ = try uninterrupted.step(batch)
        if index == 1 {
          try uninterrupted.save(to: store, configuration: configuration, generators: ["actor": actor])
        }
        _ = actor.next()
      }
      // A new process: different initial weights, restored from the checkpoint after step 2.
      let resumed = try makeLearner(seed: 999)
      let generators = try resumed.restore(from: store.loadLatest(), configuration: configuration)
      #expect(resumed.stepCount == 2)
      #expect(generators["actor"] != nil)
      for batch in batches[2...] { _ = try resumed.step(batch) }
      let expected = uninterrupted.network.parameterValues()
      for (path, value) in resumed.network.parameterValues() {
        #expect(value.isIdentical(to: expected[path]!), "\(path) differs after resuming")
      }
      #expect(resumed.network.core.generator == uninterrupted.network.core.generator)
    }
  }

  @Test func aTruncatedOrDamagedCheckpointIsRefused() throws {
    try withTemporaryFolder { folder in
      let store = CheckpointStore(url: folder)
      let learner = try makeLearner(seed: 13)
      try learner.save(to: store, configuration: configuration)
      let file = folder.appendingPathComponent("step-000000000/state.safetensors")
      let data = try Data(contentsOf: file)
      try data.prefix(data.count / 2).write(to: file)
      #expect {
        try store.loadLatest()
      } throws: { error in
        "\(error)".contains("state.safetensors") && "\(error)".contains("truncated")
      }
      var damaged = data
      damaged[damaged.count - 5] ^= 0xFF
      try damaged.write(to: file)
      #expect {
        try store.loadLatest()
      } throws: { error in
        "\(error)".contains("checksum")
      }
      try Data("{".utf8).write(to: folder.appendingPathComponent("step-000000000/manifest.json"))
      #expect {
        try store.loadLatest()
      } throws: { error in
        "\(error)".contains("manifest.json") && "\(error)".contains("not a valid manifest")
      }
    }
  }

  @Test func aSaveKilledHalfWayLeavesThePreviousCheckpoint() throws {
    try withTemporaryFolder { folder in
      let store = CheckpointStore(url: folder)
      let learner = try makeLearner(seed: 14)
      try learner.save(to: store, configuration: configuration)
      let saved = learner.network.parameterValues()
      _ = try learner.step(makeBatch(learner, seed: 15))
      // What a save killed at any point before publishing leaves: a half-written temporary folder,
      // or a complete folder for the new step that `latest` does not name yet.
      let partial = folder.appendingPathComponent(".step-000000001.4242.17.tmp")
      try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
      try Data([1, 2, 3]).write(to: partial.appendingPathComponent("state.safetensors"))
      try FileManager.default.copyItem(
        at: folder.appendingPathComponent("step-000000000"),
        to: folder.appendingPathComponent("step-000000001")
      )
      try Data([0]).write(to: folder.appendingPathComponent("step-000000001/state.safetensors"))
      let restored = try makeLearner(seed: 16)
      try restored.restore(from: store.loadLatest(), configuration: configuration)
      #expect(restored.stepCount == 0)
      for (path, value) in restored.network.parameterValues() { #expect(value.isIdentical(to: saved[path]!)) }
      // The next complete save replaces the leftovers and becomes the latest.
      try learner.save(to: store, configuration: configuration)
      #expect(try store.loadLatest().manifest.step == 1)
    }
  }

  @Test func aMismatchedCheckpointIsRefusedAndChangesNothing() throws {
    try withTemporaryFolder { folder in
      let store = CheckpointStore(url: folder)
      try makeLearner(seed: 17).save(to: store, configuration: configuration)
      let other = try makeLearner(seed: 18)
      let before = other.network.parameterValues()
      #expect {
        try other.restore(from: store.loadLatest(), configuration: ["network": "large", "actions": "3"])
      } throws: { error in
        "\(error)".contains("another configuration (network: checkpoint small-test, now large)")
      }
      var g = RandomGenerator(seed: 19)
      let wider = try FtwNetwork(
        embed: OAREmbedding(torso: other.network.embed.torso, numActions: [3]),
        core: RPTH(
          inputSize: 8 + 3 + 1, period: [2], options: VariationalUnitOptions(hiddenSize: 7, numDimensions: 4),
          generator: &g),
        numActions: 3,
        headHiddenSize: 8, generator: &g)
      let mismatched = FtwLearner(network: wider, hyperparameters: other.hyperparameters)
      #expect {
        try mismatched.restore(from: store.loadLatest(), configuration: configuration)
      } throws: { error in
        "\(error)".contains("has shape")
      }
      for (path, value) in other.network.parameterValues() { #expect(value.isIdentical(to: before[path]!)) }
    }
  }

  @Test func oldCheckpointsArePruned() throws {
    try withTemporaryFolder { folder in
      let store = CheckpointStore(url: folder, keep: 2)
      let learner = try makeLearner(seed: 20)
      let batch = makeBatch(learner, seed: 21)
      for _ in 0..<4 {
        try learner.save(to: store, configuration: configuration)
        _ = try learner.step(batch)
      }
      #expect(store.steps() == [2, 3])
      #expect(throws: CheckpointError.self) {
        try CheckpointStore(url: folder.appendingPathComponent("none")).loadLatest()
      }
    }
  }
}

@Suite struct HyperparameterTests {
  @Test func floatHyperparameters() throws {
    var g = RandomGenerator(seed: 1)
    let rate = try FloatHyperparameter(
      name: "lr", initialValue: .logUniform(lower: 1e-4, upper: 1e-2), generator: &g)
    #expect((1e-4...1e-2).contains(rate.value))
    let before = rate.value
    #expect(rate.perturb(generator: &g))
    #expect(abs(rate.value - before) <= 0.2 * before + 1e-9 && rate.value != before)
    try rate.setValues([0.5])
    #expect(rate.value == 0.5)
    #expect(throws: HyperparameterError.self) { try rate.setValues([.nan]) }
    #expect(
      throws: HyperparameterError(name: "x", message: "perturb_probability must be >= 0 and <= 1, got 2.0")
    ) {
      try FloatHyperparameter(name: "x", initialValue: .exact(1), perturbProbability: 2, generator: &g)
    }
    #expect(
      throws: HyperparameterError(
        name: "y", message: "range must be (min, max) with 0 < min <= max, got (1.0, 0.5)")
    ) {
      try FloatHyperparameter(name: "y", initialValue: .logUniform(lower: 1, upper: 0.5), generator: &g)
    }
  }

  @Test func intHyperparameters() throws {
    var g = RandomGenerator(seed: 2)
    let period = try IntHyperparameter(name: "period", range: 5...20, generator: &g)
    var seen = Set<Int>()
    for _ in 0..<200 {
      period.perturb(generator: &g)
      seen.insert(period.value)
    }
    #expect(seen.isSubset(of: Set(5...20)) && seen.count > 10)
    #expect(throws: HyperparameterError.self) { try period.setValues([3]) }
    #expect(throws: HyperparameterError.self) {
      try IntHyperparameter(name: "p", range: 1...3, initialValue: 9, generator: &g)
    }
    let never = try IntHyperparameter(
      name: "q", range: 1...3, initialValue: 2, perturbProbability: 0, generator: &g)
    #expect(!never.perturb(generator: &g) && never.value == 2)
  }
}

@Suite struct OptimizerTests {
  func quadratic(_ g: inout RandomGenerator) -> (Module, () -> Tensor) {
    let module = Module(name: "quadratic")
    let x = module.register(Parameter(Tensor(randomNormal: [5], generator: &g)), as: "x")
    return (module, { (x.value - 3).squared().sum() })
  }

  @Test(arguments: [0, 1])
  func optimizersMinimiseAndResume(kind: Int) throws {
    var g = RandomGenerator(seed: 3)
    let (module, loss) = quadratic(&g)
    let make: () -> Optimizer = {
      kind == 0 ? RMSProp(learningRate: 0.05, momentum: 0.5, centered: true) : Adam(learningRate: 0.1)
    }
    let optimizer = make()
    let start = loss().scalar
    for _ in 0..<3 { try optimizer.apply(valueWithGradient(of: module, loss).gradient, to: module) }
    let (copy, copyLoss) = quadratic(&g)
    copy.parameter(at: "x")!.value = module.parameter(at: "x")!.value
    let resumed = make()
    try resumed.load(state: optimizer.state)
    for _ in 0..<20 {
      try optimizer.apply(valueWithGradient(of: module, loss).gradient, to: module)
      try resumed.apply(valueWithGradient(of: copy, copyLoss).gradient, to: copy)
    }
    #expect(loss().scalar < start / 4)
    #expect(copy.parameter(at: "x")!.value.isIdentical(to: module.parameter(at: "x")!.value))
  }

  @Test func restoredSlotsMustFitTheParameters() throws {
    var g = RandomGenerator(seed: 5)
    let (module, loss) = quadratic(&g)
    let optimizer = RMSProp(learningRate: 0.1)
    try optimizer.load(state: ["x/ms": Tensor(zeros: [3]), "x/mom": Tensor(zeros: [3])])
    #expect(throws: OptimizerError(message: "slot mom of x has shape [3], the parameter [5]")) {
      try optimizer.apply(valueWithGradient(of: module, loss).gradient, to: module)
    }
  }

  @Test func gradientShapesAreChecked() throws {
    var g = RandomGenerator(seed: 4)
    let (module, _) = quadratic(&g)
    #expect(throws: OptimizerError(message: "gradient for x has shape [2], the parameter [5]")) {
      try RMSProp(learningRate: 1).apply(["x": Tensor([1, 2])], to: module)
    }
  }
}
