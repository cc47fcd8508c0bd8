import FTWLayers
import FTWNetworks
import FTWTensor
import Foundation

/// The learner's hyperparameters that population-based training evolves, read at every step.
public final class LearnerHyperparameters {
  public let learningRate: FloatHyperparameter
  public let entropyCost: FloatHyperparameter
  /// The RPTH slow core's period, applied to the network before each step.
  public let slowCorePeriod: IntHyperparameter
  /// The internal reward weights, if the agent learns from game events.
  public let internalRewards: InternalRewards?

  public init(
    learningRate: FloatHyperparameter, entropyCost: FloatHyperparameter, slowCorePeriod: IntHyperparameter,
    internalRewards: InternalRewards? = nil
  ) {
    self.learningRate = learningRate
    self.entropyCost = entropyCost
    self.slowCorePeriod = slowCorePeriod
    self.internalRewards = internalRewards
  }

  /// Every hyperparameter by name.
  public var all: [any Hyperparameter] {
    [learningRate, entropyCost, slowCorePeriod] + (internalRewards.map { [$0] } ?? [])
  }
}

/// The fixed settings of a learner (the reference `FtwLearner`'s other arguments).
public struct LearnerConfiguration: Sendable, Equatable {
  public var baselineCost: Float = 0.5
  public var discount: Float = 0.99
  public var klPriorFixedCost: Float = 1e-4
  public var klPriorPosteriorCost: Float = 1e-3
  public var pixelControlCost: Float = 0.01
  public var rewardPredictionCost: Float = 0.1
  /// Rewards are clipped to `±maxAbsReward`; `nil` for none.
  public var maxAbsReward: Float?
  /// Gradients are clipped to this global norm; `nil` for none (the reference's 1e10).
  public var maxGradientNorm: Float?
  /// RMSProp's epsilon, for the policy's optimiser and the auxiliary tasks'.
  public var rmsPropEpsilon = LearnerConfiguration.defaultRMSPropEpsilon
  /// The precision the large products of a step multiply in (``Precision/forProduct(multiplyAdds:in:)``);
  /// the weights, the optimiser and every reduction stay in fp32 whatever it is.
  public var precision = Precision.fp32

  public init() {}

  /// RMSProp's epsilon unless a configuration says otherwise: the reference agent's 1e-5.
  public static let defaultRMSPropEpsilon: Float = 1e-5
}

/// What a learner step reports; the loss terms are as the reference logs them (costs applied).
public struct LearnerMetrics: Sendable {
  public var loss: Float
  public var criticLoss: Float
  public var policyGradientLoss: Float
  public var entropyLoss: Float
  public var klPriorFixedLoss: Float
  public var klPriorPosteriorLoss: Float
  public var gradientNorm: Float
  public var learningRate: Float
  /// The share of V-trace's importance weights that were clipped (``VTraceReturns/clippedShare``).
  public var clippedImportanceShare: Float
}

/// The FTW learner (the reference's `FtwLearner`): one RMSProp step of the IMPALA/V-trace loss
/// plus RPTH's KL terms on a batch of trajectories, and optional auxiliary steps for pixel
/// control and reward prediction, each with its own optimiser.
///
/// ```swift
/// let learner = FtwLearner(network: network, hyperparameters: hyperparameters)
/// let metrics = try learner.step(batch)
/// ```
public final class FtwLearner {
  public let network: FtwNetwork
  public let hyperparameters: LearnerHyperparameters
  public var configuration: LearnerConfiguration
  public let optimizer: RMSProp
  public let pixelControlOptimizer: RMSProp
  public let rewardPredictionOptimizer: RMSProp
  /// Learner steps taken.
  public internal(set) var stepCount: Int = 0
  /// A factor in [0, 1] on the learning-rate hyperparameter, which a trainer sets for a schedule
  /// (``TrainingConfiguration/learningRateScale(afterFrames:)``); 1 by default.
  public var learningRateScale: Float = 1

  public init(
    network: FtwNetwork, hyperparameters: LearnerHyperparameters,
    configuration: LearnerConfiguration = LearnerConfiguration()
  ) {
    self.network = network
    self.hyperparameters = hyperparameters
    self.configuration = configuration
    func rmsProp() -> RMSProp {
      RMSProp(
        learningRate: hyperparameters.learningRate.value, decay: 0.99, momentum: 0,
        epsilon: configuration.rmsPropEpsilon)
    }
    optimizer = rmsProp()
    pixelControlOptimizer = rmsProp()
    rewardPredictionOptimizer = rmsProp()
  }

  /// The learning rate for the next step: the hyperparameter times ``learningRateScale``.
  public var currentLearningRate: Float {
    hyperparameters.learningRate.value * learningRateScale
  }

  /// The policy loss on `batch` and its terms, without updating anything.
  public func loss(_ batch: TrajectoryBatch) -> (
    loss: Tensor, impala: ImpalaLossOutput, klPriorFixed: Tensor, klPriorPosterior: Tensor
  ) {
    let period = Float(hyperparameters.slowCorePeriod.value)
    var rewards = batch.transitions(batch.rewards)
    if let internalRewards = hyperparameters.internalRewards {
      rewards = internalRewards.reward(events: rewards)
    }
    let (output, _) = network.unroll(batch.inputs.networkInput, batch.initialState)
    let impala = ImpalaLoss(
      discount: configuration.discount, baselineCost: configuration.baselineCost,
      entropyCost: hyperparameters.entropyCost.value, maxAbsReward: configuration.maxAbsReward,
      actionSizes: network.actionSizes.count > 1 ? network.actionSizes : nil)(
        logits: output.logits, values: output.value, behaviourLogits: batch.behaviourLogits,
        actions: batch.transitionActions, rewards: rewards, discounts: batch.transitions(batch.discounts))
    let parameters = output.coreOutput.distributionParameters
    let (fixed, priorPosterior) = RPTHKLLoss(
      period: period, priorFixedCost: configuration.klPriorFixedCost,
      priorPosteriorCost: configuration.klPriorPosteriorCost)(
        prior: parameters[0], posterior: parameters[parameters.count - 1], step: batch.initialState.step)
    return (impala.loss + fixed + priorPosterior, impala, fixed, priorPosterior)
  }

  /// One learner step on `batch`, its products in the configuration's precision; applies the
  /// slow-core period and learning rate first.
  public func step(_ batch: TrajectoryBatch) throws -> LearnerMetrics {
    try Precision.$current.withValue(configuration.precision) { try policyStep(batch) }
  }

  private func policyStep(_ batch: TrajectoryBatch) throws -> LearnerMetrics {
    for core in network.core.slowCores { try core.setPeriod(Float(hyperparameters.slowCorePeriod.value)) }
    let learningRate = currentLearningRate
    optimizer.learningRate = learningRate
    let watch = ParameterWatch(network)
    let terms = watch.run { loss(batch) }
    let (gradients, _) = watch.gradients(of: [terms.loss], cotangents: [Tensor(1)])
    let (clipped, norm) = clipByGlobalNorm(gradients, maxNorm: configuration.maxGradientNorm ?? 1e10)
    try optimizer.apply(clipped, to: network)
    stepCount += 1
    return LearnerMetrics(
      loss: terms.loss.scalar, criticLoss: terms.impala.criticLoss.scalar,
      policyGradientLoss: terms.impala.policyGradientLoss.scalar,
      entropyLoss: terms.impala.entropyLoss.scalar,
      klPriorFixedLoss: terms.klPriorFixed.scalar, klPriorPosteriorLoss: terms.klPriorPosterior.scalar,
      gradientNorm: norm, learningRate: learningRate, clippedImportanceShare: terms.impala.vtrace.clippedShare
    )
  }

  /// One pixel-control step: `observations` `[T+1, B, 84, 84, 3]`, `actions` `[T, B]`, from the
  /// pixel-control network's `initialState`. Returns the loss (cost applied).
  public func pixelControlStep<Core: TensorRecurrentCore>(
    _ pixelControl: RNNPixelControlNetwork<Core>, observations: Tensor, actions: IndexTensor,
    initialState: Core.State
  ) throws -> Float {
    pixelControlOptimizer.learningRate = currentLearningRate
    let (loss, gradients) = Precision.$current.withValue(configuration.precision) {
      valueWithGradient(of: pixelControl) {
        let (q, _) = pixelControl.unroll(observations, initialState)
        return configuration.pixelControlCost
          * PixelControlLoss()(observations: observations, actions: actions, actionValues: q).loss.sum()
      }
    }
    try pixelControlOptimizer.apply(
      clipByGlobalNorm(gradients, maxNorm: configuration.maxGradientNorm ?? 1e10).clipped, to: pixelControl)
    return loss.scalar
  }

  /// One reward-prediction step on frames `[B, T, H, W, C]` and the reward after each sequence
  /// `[B]` (events are weighed by the internal rewards first). Returns the loss (cost applied).
  public func rewardPredictionStep(
    _ rewardPrediction: RewardPredictionNetwork, frames: Tensor, rewards: Tensor
  ) throws -> Float {
    rewardPredictionOptimizer.learningRate = currentLearningRate
    let weighted = hyperparameters.internalRewards.map { $0.reward(events: rewards) } ?? rewards
    let (loss, gradients) = Precision.$current.withValue(configuration.precision) {
      valueWithGradient(of: rewardPrediction) {
        configuration.rewardPredictionCost
          * RewardPredictionLoss()(logits: rewardPrediction(frames), rewards: weighted).loss
      }
    }
    try rewardPredictionOptimizer.apply(
      clipByGlobalNorm(gradients, maxNorm: configuration.maxGradientNorm ?? 1e10).clipped,
      to: rewardPrediction)
    return loss.scalar
  }
}
