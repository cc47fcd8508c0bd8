import FTWEnvironments
import FTWTensor

extension TrainingConfiguration {
  /// How the learner learns: the unroll, RMSProp, the loss's costs, the internal rewards and the
  /// products' precision.
  ///
  /// ```swift
  /// var learning = TrainingConfiguration.Learning()
  /// learning.learningRateDecayFrames = 1000
  /// learning.learningRateScale(afterFrames: 250)  // 0.75
  /// ```
  public struct Learning: Codable, Sendable, Equatable {
    /// Steps per trajectory (`T`); trajectories have `T + 1` steps.
    public var unrollLength = 20
    /// RMSProp's learning rate.
    public var learningRate: Float = 4e-4
    /// With `n > 0`, the learning rate falls linearly from its value to 0 as the run's frames go
    /// from 0 to `n` (a population's frames in total, so every member follows one schedule and an
    /// exploit does not restart it), as IMPALA anneals it; 0 (the default) keeps it constant.
    public var learningRateDecayFrames = 0
    /// The entropy bonus's cost.
    public var entropyCost: Float = 0.003
    /// RMSProp's epsilon, under the square root with the mean square (the reference agent's 1e-5;
    /// a large one shrinks every step whose gradients are small).
    public var rmsPropEpsilon = LearnerConfiguration.defaultRMSPropEpsilon
    /// The discount per step.
    public var discount: Float = 0.99
    /// The global gradient norm clip.
    public var maxGradientNorm: Float = 40
    /// The internal reward of each game event (`GameEvent` order), the paper's `w`.
    public var internalRewards: [Float] = TrainingConfiguration.defaultInternalRewards
    /// The precision of the large products (convolutions, linear layers) of the learner's steps
    /// and of the actors' (so that the policy that acts is the one the learner evaluates): `auto`
    /// (the default) takes bfloat16 where this CPU's bfloat16 arithmetic measures faster than its
    /// fp32 (``Precision/fastest``), `bf16` needs AVX512_BF16, `fp32` is single precision.
    /// Weights, the optimiser and every reduction stay in fp32.
    public var precision = Precision.Choice.auto

    /// The defaults.
    public init() {}

    /// Reads the learning's keys; a missing one keeps its default.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      try container.read(.unrollLength, into: &unrollLength)
      try container.read(.learningRate, into: &learningRate)
      try container.read(.learningRateDecayFrames, into: &learningRateDecayFrames)
      try container.read(.entropyCost, into: &entropyCost)
      try container.read(.rmsPropEpsilon, into: &rmsPropEpsilon)
      try container.read(.discount, into: &discount)
      try container.read(.maxGradientNorm, into: &maxGradientNorm)
      try container.read(.internalRewards, into: &internalRewards)
      try container.read(.precision, into: &precision)
    }

    /// The factor on the learning rate after `frames` frames: 1 without a decay, else falling
    /// linearly to 0 at ``learningRateDecayFrames`` and staying there.
    public func learningRateScale(afterFrames frames: Int) -> Float {
      guard learningRateDecayFrames > 0 else { return 1 }
      return 1 - Float(min(max(frames, 0), learningRateDecayFrames)) / Float(learningRateDecayFrames)
    }

    /// Throws a ``TrainingError`` naming the first value out of range and what is allowed.
    func validate() throws {
      try require((1...1000).contains(unrollLength), "unrollLength must be in 1...1000, got \(unrollLength)")
      try require(
        learningRate > 0 && learningRate <= 1, "learningRate must be in (0, 1], got \(learningRate)")
      try require(
        (0...1_000_000_000_000).contains(learningRateDecayFrames),
        "learningRateDecayFrames must be in 0...1000000000000 (0: constant), got \(learningRateDecayFrames)")
      try require(entropyCost >= 0 && entropyCost <= 1, "entropyCost must be in [0, 1], got \(entropyCost)")
      try require(
        rmsPropEpsilon > 0 && rmsPropEpsilon <= 1, "rmsPropEpsilon must be in (0, 1], got \(rmsPropEpsilon)")
      try require(discount >= 0 && discount <= 1, "discount must be in [0, 1], got \(discount)")
      try require(maxGradientNorm > 0, "maxGradientNorm must be positive, got \(maxGradientNorm)")
      try require(
        internalRewards.count == GameEvent.allCases.count
          && internalRewards.allSatisfy({ $0.isFinite && abs($0) <= 100 }),
        "internalRewards needs \(GameEvent.allCases.count) values in [-100, 100] (\(GameEvent.names.joined(separator: ", ")))"
      )
      try require(
        precision.resolved != nil,
        "precision bf16 does not run here (\(Precision.fastestReason)); use auto or fp32")
    }
  }
}
