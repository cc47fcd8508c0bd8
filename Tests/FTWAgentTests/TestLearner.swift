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
  let inputs = AgentInput(
    observation: randomPixels([length, batch, 12, 12, 3], generator: &g), actions: [actions],
    reward: Tensor(randomNormal: [length, batch], generator: &g))
  return TrajectoryBatch(
    inputs: inputs, actions: actions, rewards: Tensor(randomNormal: [length, batch], generator: &g),
    discounts: Tensor(shape: [length, batch], scalars: [1, 1, 1, 0, 1, 1, 1, 1, 1, 1]),
    behaviourLogits: Tensor(randomNormal: [length, batch, 3], generator: &g),
    initialState: learner.network.initialState(batchSize: batch))
}

let configuration = ["network": "small-test", "actions": "3"]

/// Frames of `shape` with random bytes.
func randomPixels(_ shape: [Int], generator: inout RandomGenerator) -> PixelBytes {
  PixelBytes(
    shape: shape, bytes: (0..<shape.reduce(1, *)).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
}
