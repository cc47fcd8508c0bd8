import FTWAgent
import FTWAgentTestSupport
import FTWLayers
import FTWNetworks
import FTWTensor
import Foundation
import Testing

@Suite struct PrecisionTests {
  @Test func aConfigurationSavedWithoutAPrecisionReadsAsAuto() throws {
    var configuration = tinyConfiguration()
    configuration.learning.precision = .fp32
    let data = try JSONEncoder().encode(configuration)
    #expect(try JSONDecoder().decode(TrainingConfiguration.self, from: data).learning.precision == .fp32)
    var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
    object["learning"]?.removeValue(forKey: "precision")
    let older = try JSONSerialization.data(withJSONObject: object)
    #expect(try JSONDecoder().decode(TrainingConfiguration.self, from: older).learning.precision == .auto)
    object["learning"]?["precision"] = "fp16"
    #expect(throws: ConfigurationFieldError.self) {
      try JSONDecoder().decode(
        TrainingConfiguration.self, from: try JSONSerialization.data(withJSONObject: object))
    }
  }

  @Test func bf16IsRefusedWhereThisCPUCannotRunIt() throws {
    var configuration = tinyConfiguration()
    configuration.learning.precision = .bf16
    if Precision.bf16.isAvailable {
      try configuration.validate()
    } else {
      #expect(throws: TrainingError.self) { try configuration.validate() }
    }
    for choice in [Precision.Choice.auto, .fp32] {
      configuration.learning.precision = choice
      try configuration.validate()
    }
    #expect(Precision.Choice.auto.resolved == Precision.fastest)
  }

  /// A learner step's large products (here the first convolution, of 10 images of 84x84 pixels)
  /// run in the learner's precision, and its small ones in fp32.
  @Test(arguments: [Precision.fp32, .bf16])
  func aLearnerStepsLargeProductsRunInItsPrecision(precision: Precision) throws {
    var generator = RandomGenerator(seed: 5)
    let torso = try FtwTorso(
      observationShape: [84, 84, 3], convFilters: [ConvFilter(32, 8, 4), ConvFilter(8, 4, 2)],
      residualFilters: [ConvFilter(8, 3, 1)],
      hiddenSize: 8, generator: &generator)
    let embed = try OAREmbedding(torso: torso, numActions: [3])
    let rpth = try RPTH(
      inputSize: embed.outputSize, period: [2],
      options: VariationalUnitOptions(hiddenSize: 6, numDimensions: 4),
      generator: &generator)
    let network = try FtwNetwork(
      embed: embed, core: rpth, numActions: 3, headHiddenSize: 8, generator: &generator)
    let hyperparameters = LearnerHyperparameters(
      learningRate: try FloatHyperparameter(
        name: "learning_rate", initialValue: .exact(1e-4), generator: &generator),
      entropyCost: try FloatHyperparameter(
        name: "entropy_cost", initialValue: .exact(0.01), generator: &generator),
      slowCorePeriod: try IntHyperparameter(
        name: "slow_core_period", range: 2...4, initialValue: 2, generator: &generator))
    var configuration = LearnerConfiguration()
    configuration.precision = precision
    let learner = FtwLearner(network: network, hyperparameters: hyperparameters, configuration: configuration)
    let (length, batch) = (5, 2)
    let actions = IndexTensor(shape: [length, batch], scalars: (0..<10).map { Int32($0 % 3) })
    let inputs = AgentInput(
      observation: randomPixels([length, batch, 84, 84, 3], generator: &generator), actions: [actions],
      reward: Tensor(randomNormal: [length, batch], generator: &generator))
    let trajectory = TrajectoryBatch(
      inputs: inputs, actions: actions,
      rewards: Tensor(randomNormal: [length, batch], generator: &generator),
      discounts: Tensor(ones: [length, batch]),
      behaviourLogits: Tensor(randomNormal: [length, batch, 3], generator: &generator),
      initialState: network.initialState(batchSize: batch))
    let (metrics, products) = try KernelProfile.collect { try learner.step(trajectory) }
    #expect(metrics.loss.isFinite)
    let convolutions = products.filter { $0.operation.hasPrefix("conv") && $0.operation.contains("48->32") }
    #expect(convolutions.count == 2, "the first layer's forward product and filter gradient")
    let expected = precision == .bf16 && Precision.bf16.isAvailable ? Precision.bf16 : .fp32
    #expect(convolutions.allSatisfy { $0.precision == expected })
    #expect(products.filter { !$0.operation.contains("48->32") }.allSatisfy { $0.precision == .fp32 })
  }
}
