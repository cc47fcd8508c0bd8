import FTWEnvironments
import FTWTensor
import Foundation

/// What population-based training evolves for one member: its hyperparameters and the weights of
/// its internal reward, one per game event.
///
/// A new member draws each value log-uniformly from the paper's range (``Range``), or from a band
/// around the tuned single agent's value inside it (``sample(from:spread:seeds:)``); an internal
/// reward weight keeps the sign of the configuration's weight for its event, its size in 0.1...1,
/// except the two progress events (`i_moved_toward_objective`,
/// `i_moved_away_from_objective`): they are potential-based shaping rather than game points, and
/// stay at the configuration's weights. Exploring multiplies each value, with a probability, by
/// `1 + u` (`u` uniform in ±`maxChange`) and keeps it in its range; the slow core's period is
/// redrawn instead.
///
/// ```swift
/// var seeds = SplitMix64(seed: 1)
/// let values = EvolvedValues.sample(from: configuration, spread: 2, seeds: &seeds)
/// let child = values.perturbed(probability: 0.2, maxChange: 0.2, seeds: &seeds)
/// ```
public struct EvolvedValues: Codable, Sendable, Equatable {
  public var learningRate: Float
  public var entropyCost: Float
  public var slowCorePeriod: Int
  public var klPriorFixedCost: Float
  public var klPriorPosteriorCost: Float
  /// 0 when the run has pixel control off (it then stays off).
  public var pixelControlCost: Float
  /// 0 when the run has reward prediction off (it then stays off).
  public var rewardPredictionCost: Float
  public var fastToSlowGradientScale: Float
  /// One weight per ``GameEvent``, in its order.
  public var internalRewards: [Float]

  /// The ranges new members draw from (log-uniformly) and explored values stay in: the paper's.
  public enum Range {
    public static let learningRate: ClosedRange<Float> = 1e-5...5e-3
    public static let entropyCost: ClosedRange<Float> = 5e-4...1e-2
    public static let slowCorePeriod: ClosedRange<Int> = 5...20
    public static let klPriorFixedCost: ClosedRange<Float> = 1e-4...0.1
    public static let klPriorPosteriorCost: ClosedRange<Float> = 1e-3...1
    public static let pixelControlCost: ClosedRange<Float> = 0.01...0.1
    public static let rewardPredictionCost: ClosedRange<Float> = 0.1...1
    public static let fastToSlowGradientScale: ClosedRange<Float> = 0.1...1
    public static let internalRewardSize: ClosedRange<Float> = 0.1...1
  }

  /// The events whose weights evolve: the game points, not the progress (shaping) events.
  public static let evolvingEvents: [GameEvent] = GameEvent.allCases.filter {
    $0 != .iMovedTowardObjective && $0 != .iMovedAwayFromObjective
  }

  /// The names of the values, in the order of ``flattened``.
  public static var names: [String] {
    [
      "learning_rate", "entropy_cost", "slow_core_period", "kl_prior_fixed_cost", "kl_prior_posterior_cost",
      "pixel_control_cost", "reward_prediction_cost", "fast_to_slow_gradient_scale",
    ] + GameEvent.allCases.map { "reward_\($0.name)" }
  }

  /// Every value as a number, in the order of ``names``.
  public var flattened: [Double] {
    [
      Double(learningRate), Double(entropyCost), Double(slowCorePeriod), Double(klPriorFixedCost),
      Double(klPriorPosteriorCost), Double(pixelControlCost), Double(rewardPredictionCost),
      Double(fastToSlowGradientScale),
    ] + internalRewards.map(Double.init)
  }

  /// A new member's values. The run's configuration gives the signs of the internal reward
  /// weights, the progress weights, and whether the auxiliary tasks are on.
  ///
  /// With `spread`, each value is drawn log-uniformly within a factor `spread` of the tuned
  /// single agent's (the configuration's, or the learner's default for the KL costs and 1 for the
  /// fast-to-slow gradient scale) and kept in its paper range; the period within `spread` of the
  /// configuration's. Without, every value is drawn from its whole paper range, as the reference
  /// does: on a short run many members then start from values that do not learn (a learning rate
  /// above 1e-3 does not, on this agent and batch).
  public static func sample(
    from configuration: TrainingConfiguration, spread: Float?, seeds: inout SplitMix64
  )
    -> EvolvedValues
  {
    func logUniform(_ low: Double, _ high: Double) -> Double {
      exp(log(low) + (log(high) - log(low)) * seeds.nextUnit())
    }
    func draw(_ centre: Float, _ range: ClosedRange<Float>) -> Float {
      var (low, high) = (Double(range.lowerBound), Double(range.upperBound))
      if let spread {
        let (below, above) = (Double(centre / spread), Double(centre * spread))
        (low, high) = (min(max(below, low), high), max(min(above, high), low))
      }
      return Float(logUniform(low, high)).clamped(to: range)
    }
    let learner = LearnerConfiguration()
    let learningRate = draw(configuration.learning.learningRate, Range.learningRate)
    let entropyCost = draw(configuration.learning.entropyCost, Range.entropyCost)
    let centre = Float(configuration.network.slowCorePeriod)
    let periods =
      spread.map { (centre / $0, centre * $0 + 1) }
      ?? (Float(Range.slowCorePeriod.lowerBound), Float(Range.slowCorePeriod.upperBound + 1))
    let period = Int(logUniform(Double(max(periods.0, 1)), Double(periods.1)).rounded(.down))
      .clamped(to: Range.slowCorePeriod)
    let klFixed = draw(learner.klPriorFixedCost, Range.klPriorFixedCost)
    let klPosterior = draw(learner.klPriorPosteriorCost, Range.klPriorPosteriorCost)
    let pixelControl =
      configuration.auxiliary.pixelControlCost > 0
      ? draw(configuration.auxiliary.pixelControlCost, Range.pixelControlCost) : 0
    let rewardPrediction =
      configuration.auxiliary.rewardPredictionCost > 0
      ? draw(configuration.auxiliary.rewardPredictionCost, Range.rewardPredictionCost) : 0
    let scale = draw(1, Range.fastToSlowGradientScale)
    let rewards = GameEvent.allCases.map { event in
      let base = configuration.learning.internalRewards[event.rawValue]
      guard evolvingEvents.contains(event), base != 0 else { return base }
      return (base < 0 ? -1 : 1) * draw(abs(base), Range.internalRewardSize)
    }
    return EvolvedValues(
      learningRate: learningRate, entropyCost: entropyCost, slowCorePeriod: period, klPriorFixedCost: klFixed,
      klPriorPosteriorCost: klPosterior, pixelControlCost: pixelControl,
      rewardPredictionCost: rewardPrediction,
      fastToSlowGradientScale: scale, internalRewards: rewards)
  }

  /// The values explored: each real value, with `probability`, multiplied by `1 + u` (`u` uniform
  /// in `[-maxChange, maxChange]`) and clamped to its range (an internal reward weight's size to
  /// 0.1...1, its sign kept); the period, with `probability`, redrawn from its range. Values that
  /// are off (0) stay off; the progress weights do not change.
  public func perturbed(probability: Double, maxChange: Double, seeds: inout SplitMix64) -> EvolvedValues {
    func perturb(_ value: Float, _ range: ClosedRange<Float>) -> Float {
      guard value != 0, seeds.nextUnit() < probability else { return value }
      let factor = 1 + Float((2 * seeds.nextUnit() - 1) * maxChange)
      let size = min(range.upperBound, max(range.lowerBound, abs(value) * factor))
      return value < 0 ? -size : size
    }
    var next = self
    next.learningRate = perturb(learningRate, Range.learningRate)
    next.entropyCost = perturb(entropyCost, Range.entropyCost)
    if seeds.nextUnit() < probability { next.slowCorePeriod = seeds.next(in: Range.slowCorePeriod) }
    next.klPriorFixedCost = perturb(klPriorFixedCost, Range.klPriorFixedCost)
    next.klPriorPosteriorCost = perturb(klPriorPosteriorCost, Range.klPriorPosteriorCost)
    next.pixelControlCost = perturb(pixelControlCost, Range.pixelControlCost)
    next.rewardPredictionCost = perturb(rewardPredictionCost, Range.rewardPredictionCost)
    next.fastToSlowGradientScale = perturb(fastToSlowGradientScale, Range.fastToSlowGradientScale)
    for event in Self.evolvingEvents {
      next.internalRewards[event.rawValue] = perturb(
        internalRewards[event.rawValue], Range.internalRewardSize)
    }
    return next
  }
}

extension SplitMix64 {
  /// A uniform draw from `[0, 1)`.
  mutating func nextUnit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
}

extension Comparable {
  fileprivate func clamped(to range: ClosedRange<Self>) -> Self {
    min(range.upperBound, max(range.lowerBound, self))
  }
}
