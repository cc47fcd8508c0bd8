import FTWLayers
import FTWTensor
import Foundation

/// The FTW agent's internal rewards: one learned-by-evolution weight per game event (the
/// reference's `InternalRewards`, a population-based-training hyperparameter).
///
/// The weights live in a non-trainable `Parameter` (``variable``), so a module that registers
/// it (``OAREmbedding``) saves and loads them with its other parameters.
///
/// ```swift
/// var g = RandomGenerator(seed: 1)
/// let rewards = try InternalRewards(numEvents: 4, initialValue: .logUniform(lower: 0.1, upper: 1), generator: &g)
/// let r = rewards.reward(events: events)   // events [B, 4] -> [B]
/// rewards.perturb(generator: &g)           // each weight changes by up to ±20%
/// ```
public final class InternalRewards: Hyperparameter {
  public let numEvents: Int
  public let perturbProbability: Float
  public let perturbMaxPercentChange: Float
  public let name: String
  /// The weights `[numEvents]`, not trainable.
  public let variable: Parameter

  /// - Throws: `ModuleError` for `numEvents < 1`, a probability outside `[0, 1]`, a negative
  ///   maximum change, or a log-uniform range that is not `0 < lower <= upper`.
  public init(
    numEvents: Int, initialValue: InitialValue, perturbProbability: Float = 1,
    perturbMaxPercentChange: Float = 0.2,
    name: String = "internal_rewards", generator: inout RandomGenerator
  ) throws {
    guard numEvents >= 1 else {
      throw ModuleError(
        module: "InternalRewards", argument: "num_events", message: "must be > 0, got \(numEvents)")
    }
    guard (0...1).contains(perturbProbability) else {
      throw ModuleError(
        module: "InternalRewards", argument: "perturb_probability",
        message: "must be >= 0 and <= 1, got \(perturbProbability)")
    }
    guard perturbMaxPercentChange >= 0 else {
      throw ModuleError(
        module: "InternalRewards", argument: "perturb_max_pct_change",
        message: "must be >= 0, got \(perturbMaxPercentChange)")
    }
    let values: [Float]
    switch initialValue {
    case .exact(let value):
      values = Array(repeating: value, count: numEvents)
    case .logUniform(let lower, let upper):
      guard lower > 0, lower <= upper else {
        throw ModuleError(
          module: "InternalRewards", argument: "init_value_or_range",
          message: "must be a range (min, max) with 0 < min <= max, got (\(lower), \(upper))")
      }
      let (a, b) = (Foundation.log(Double(lower)), Foundation.log(Double(upper)))
      values = (0..<numEvents).map { _ in Float(Foundation.exp(a + (b - a) * Double(generator.nextUniform())))
      }
    }
    self.numEvents = numEvents
    self.perturbProbability = perturbProbability
    self.perturbMaxPercentChange = perturbMaxPercentChange
    self.name = name
    variable = Parameter(Tensor(values), trainable: false)
  }

  /// The current weights.
  public func get() -> [Float] { values }

  public var values: [Float] { variable.value.scalars }

  public func setValues(_ values: [Float]) throws { try set(values) }

  /// Replaces the weights.
  ///
  /// - Throws: `ModuleError` unless `values` has `numEvents` finite entries.
  public func set(_ values: [Float]) throws {
    guard values.count == numEvents, values.allSatisfy(\.isFinite) else {
      throw ModuleError(
        module: "InternalRewards", argument: "value",
        message: "must be \(numEvents) finite numbers, got \(values)")
    }
    variable.value = Tensor(values)
  }

  /// With probability ``perturbProbability`` (always when it is 1), multiplies each weight by
  /// `1 + u`, `u` uniform in `[-max, max]`. Returns whether the weights changed.
  @discardableResult
  public func perturb(generator: inout RandomGenerator) -> Bool {
    guard perturbProbability == 1 || generator.nextUniform() < perturbProbability else { return false }
    let change = perturbMaxPercentChange
    variable.value = Tensor(get().map { $0 + (2 * generator.nextUniform() - 1) * change * $0 })
    return true
  }

  /// The internal reward of `events`: `events * w` for one event (any shape), else the dot product of
  /// the last axis with the weights, `[..., numEvents] -> [...]`. No gradient reaches the weights.
  public func reward(events: Tensor) -> Tensor {
    let weights = variable.value.stoppingGradient()
    if numEvents == 1 { return events * weights }
    precondition(
      events.rank >= 1 && events.shape[events.rank - 1] == numEvents,
      "events must be [..., \(numEvents)], got \(events.shape)")
    return matmul(events.expandingShape(at: -2), weights.expandingShape(at: -1)).reshaped(
      to: Array(events.shape.dropLast()))
  }
}
