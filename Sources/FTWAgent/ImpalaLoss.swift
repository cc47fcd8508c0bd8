import FTWLayers
import FTWTensor

/// The terms of the IMPALA actor-critic loss, each a scalar, and the V-trace returns behind them.
public struct ImpalaLossOutput: Sendable {
  /// `policyGradientLoss + criticLoss + entropyLoss`.
  public let loss: Tensor
  /// `baselineCost · ½ Σ (v_s - V(x_s))²`.
  public let criticLoss: Tensor
  /// `Σ -log π(a_t) · A_t` with the V-trace advantages held constant.
  public let policyGradientLoss: Tensor
  /// `-entropyCost · Σ H(π_t)`.
  public let entropyLoss: Tensor
  public let vtrace: VTraceReturns
}

/// The IMPALA/V-trace actor-critic loss as the reference FTW learner computes it (the reference's
/// `losses/impala.py` with trfl's V-trace).
///
/// Inputs cover `T+1` steps: the policy's `logits` `[T+1, B, A]` and `values` `[T+1, B]`, the
/// actors' `behaviourLogits` `[T+1, B, A]`; and `T` transitions: `actions`, `rewards` and
/// `discounts` (1 while the episode continues) `[T, B]`. The last value bootstraps.
///
/// ```swift
/// let loss = ImpalaLoss(discount: 0.99, baselineCost: 0.5, entropyCost: 0.01)
/// let output = loss(logits: logits, values: values, behaviourLogits: mu, actions: a, rewards: r, discounts: d)
/// ```
public struct ImpalaLoss: Sendable {
  public var discount: Float
  public var baselineCost: Float
  public var entropyCost: Float
  /// Rewards are clipped to `[-maxAbsReward, maxAbsReward]`; `nil` for no clipping.
  public var maxAbsReward: Float?
  /// The components' sizes of a decomposed policy (`DecomposedCategorical`; actions `[T, B, K]`,
  /// log-probabilities and entropies summed over components); `nil` for one categorical.
  public var actionSizes: [Int]?

  public init(
    discount: Float = 0.99, baselineCost: Float = 0.5, entropyCost: Float = 0, maxAbsReward: Float? = nil,
    actionSizes: [Int]? = nil
  ) {
    self.discount = discount
    self.baselineCost = baselineCost
    self.entropyCost = entropyCost
    self.maxAbsReward = maxAbsReward
    self.actionSizes = actionSizes
  }

  public func callAsFunction(
    logits: Tensor, values: Tensor, behaviourLogits: Tensor, actions: IndexTensor, rewards: Tensor,
    discounts: Tensor
  ) -> ImpalaLossOutput {
    let steps = actions.shape[0]
    precondition(
      logits.shape[0] == steps + 1 && values.shape[0] == steps + 1, "logits and values need T+1 steps")
    let clippedRewards = maxAbsReward.map { rewards.clipped(min: -$0, max: $0) } ?? rewards
    let currentLogits = logits.slice(0..<steps, alongAxis: 0)
    let currentValues = values.slice(0..<steps, alongAxis: 0)
    let vtrace = vtraceFromLogits(
      behaviourLogits: behaviourLogits.slice(0..<steps, alongAxis: 0), targetLogits: currentLogits,
      actions: actions,
      discounts: discounts * discount, rewards: clippedRewards, values: currentValues.stoppingGradient(),
      bootstrapValue: values.element(steps).stoppingGradient(), actionSizes: actionSizes)
    let policy = DecomposedCategorical(
      logits: currentLogits, sizes: actionSizes ?? [currentLogits.shape[currentLogits.rank - 1]])
    let criticLoss = baselineCost * 0.5 * (vtrace.vs - currentValues).squared().sum()
    let policyGradientLoss = (-policy.logProbability(of: actions) * vtrace.pgAdvantages).sum()
    let entropyLoss = -entropyCost * policy.entropy().sum()
    return ImpalaLossOutput(
      loss: policyGradientLoss + criticLoss + entropyLoss, criticLoss: criticLoss,
      policyGradientLoss: policyGradientLoss, entropyLoss: entropyLoss, vtrace: vtrace)
  }
}
