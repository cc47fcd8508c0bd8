import FTWTensor

/// A real-valued hyperparameter (the reference's `FloatHyperparameter`): perturbing multiplies it by
/// `1 + u`, `u` uniform in `[-maxPercentChange, maxPercentChange]`, with probability
/// `perturbProbability`.
public final class FloatHyperparameter: Hyperparameter {
  public let name: String
  public let perturbation: Perturbation
  /// The current value.
  public private(set) var value: Float

  public init(
    name: String, initialValue: InitialValue, perturbProbability: Float = 1,
    perturbMaxPercentChange: Float = 0.2,
    generator: inout RandomGenerator
  ) throws {
    perturbation = try Perturbation(
      probability: perturbProbability, maxPercentChange: perturbMaxPercentChange, name: name)
    self.name = name
    value = try initialValue.draw(generator: &generator, name: name)
  }

  public var values: [Float] { [value] }

  public func setValues(_ values: [Float]) throws {
    guard values.count == 1, values[0].isFinite else {
      throw HyperparameterError(name: name, message: "needs one finite value, got \(values)")
    }
    value = values[0]
  }

  @discardableResult
  public func perturb(generator: inout RandomGenerator) -> Bool {
    guard perturbation.happens(generator: &generator) else { return false }
    value = perturbation.scaled(value, generator: &generator)
    return true
  }
}
