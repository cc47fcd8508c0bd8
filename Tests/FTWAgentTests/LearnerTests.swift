import FTWAgent
import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

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

  @Test func learningRateScaleMultipliesTheHyperparameter() throws {
    let learner = try makeLearner(seed: 4)
    let batch = makeBatch(learner, seed: 5)
    let rates = try [1, 0.75, 0.5, 0].map { (scale: Float) in
      learner.learningRateScale = scale
      return try learner.step(batch).learningRate
    }
    #expect(close(Tensor(rates), [3e-3, 2.25e-3, 1.5e-3, 0]))
    #expect(learner.optimizer.learningRate == 0)
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
