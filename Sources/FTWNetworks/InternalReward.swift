import FTWLayers
import FTWTensor

/// The FTW agent's internal rewards: one learned-by-evolution weight per game event (the
/// reference's `InternalRewards`), a population-based-training hyperparameter like
/// `FloatHyperparameter` with one value per event.
///
/// The weights live in a non-trainable `Parameter` (``variable``), so a module that registers
/// it (``OAREmbedding``) saves and loads them with its other parameters.
///
/// ```swift
/// var g = RandomGenerator(seed: 1)
/// let rewards = try InternalRewards(numEvents: 4, initialValue: .logUniform(lower: 0.1, upper: 1), generator: &g)
/// let r = rewards.reward(events: events)   // events [B, 4] -> [B]
/// rewards.perturb(generator: &g)           // each weight changes by up to ±20%
/// try rewards.setValues([1, 0, 0.5, 2])
/// ```
public final class InternalRewards: Hyperparameter {
  public let name: String
  public let numEvents: Int
  public let perturbation: Perturbation
  /// The weights `[numEvents]`, not trainable.
  public let variable: Parameter

  /// Each weight starts at `initialValue` (a log-uniform range is drawn once per event).
  ///
  /// - Throws: `HyperparameterError` for `numEvents < 1`, a probability outside `[0, 1]`, a
  ///   negative maximum change, or an initial value that `InitialValue.draw(generator:name:)`
  ///   refuses.
  public init(
    numEvents: Int, initialValue: InitialValue, perturbProbability: Float = 1,
    perturbMaxPercentChange: Float = 0.2, name: String = "internal_rewards", generator: inout RandomGenerator
  ) throws {
    guard numEvents >= 1 else {
      throw HyperparameterError(name: name, message: "num_events must be > 0, got \(numEvents)")
    }
    perturbation = try Perturbation(
      probability: perturbProbability, maxPercentChange: perturbMaxPercentChange, name: name)
    let values = try (0..<numEvents).map { _ in try initialValue.draw(generator: &generator, name: name) }
    self.name = name
    self.numEvents = numEvents
    variable = Parameter(Tensor(values), trainable: false)
  }

  /// The weights, one per event.
  public var values: [Float] { variable.value.scalars }

  /// Replaces the weights.
  ///
  /// - Throws: `HyperparameterError` unless `values` has `numEvents` finite entries.
  public func setValues(_ values: [Float]) throws {
    guard values.count == numEvents, values.allSatisfy(\.isFinite) else {
      throw HyperparameterError(name: name, message: "needs \(numEvents) finite values, got \(values)")
    }
    variable.value = Tensor(values)
  }

  /// With the ``perturbation``'s probability, scales each weight by its own `1 + u`. Returns
  /// whether the weights changed.
  @discardableResult
  public func perturb(generator: inout RandomGenerator) -> Bool {
    guard perturbation.happens(generator: &generator) else { return false }
    variable.value = Tensor(values.map { perturbation.scaled($0, generator: &generator) })
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
