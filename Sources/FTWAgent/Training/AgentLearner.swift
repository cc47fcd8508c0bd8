import FTWLayers
import FTWNetworks
import FTWTensor

extension FtwLearner {
  /// The learner of `agent` as a training configuration sets it up: its learning rate, entropy
  /// cost and slow-core period as hyperparameters (with the agent's internal rewards), the
  /// configuration's discount, clipping, RMSProp epsilon, auxiliary costs and precision (`bf16`
  /// where this CPU lacks it, which ``TrainingConfiguration/validate()`` refuses, runs in fp32).
  ///
  /// ```swift
  /// let learner = try FtwLearner(agent: agent, configuration: configuration, generator: &generator)
  /// ```
  public convenience init(
    agent: Agent, configuration: TrainingConfiguration, generator: inout RandomGenerator
  ) throws {
    let hyperparameters = LearnerHyperparameters(
      learningRate: try FloatHyperparameter(
        name: "learning_rate", initialValue: .exact(configuration.learning.learningRate),
        generator: &generator),
      entropyCost: try FloatHyperparameter(
        name: "entropy_cost", initialValue: .exact(configuration.learning.entropyCost), generator: &generator),
      slowCorePeriod: try IntHyperparameter(
        name: "slow_core_period", range: 1...100, initialValue: configuration.network.slowCorePeriod,
        generator: &generator),
      internalRewards: agent.internalRewards)
    var learnerConfiguration = LearnerConfiguration()
    learnerConfiguration.discount = configuration.learning.discount
    learnerConfiguration.maxGradientNorm = configuration.learning.maxGradientNorm
    learnerConfiguration.rmsPropEpsilon = configuration.learning.rmsPropEpsilon
    learnerConfiguration.pixelControlCost = configuration.auxiliary.pixelControlCost
    learnerConfiguration.rewardPredictionCost = configuration.auxiliary.rewardPredictionCost
    learnerConfiguration.precision = configuration.learning.precision.resolved ?? .fp32
    self.init(network: agent.network, hyperparameters: hyperparameters, configuration: learnerConfiguration)
  }
}
