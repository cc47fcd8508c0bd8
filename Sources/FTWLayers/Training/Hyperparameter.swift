import FTWTensor
import Foundation

/// A value population-based training evolves: read by the learner while it runs, perturbed
/// between generations, saved with checkpoints (the reference's `hyperparameters.Hyperparameter`).
///
/// ```swift
/// var g = RandomGenerator(seed: 0)
/// let learningRate = try FloatHyperparameter(name: "learning_rate", initialValue: .logUniform(lower: 1e-5, upper: 5e-3), generator: &g)
/// learningRate.perturb(generator: &g)   // ±20%
/// optimizer.learningRate = learningRate.value
/// ```
public protocol Hyperparameter: AnyObject {
  var name: String { get }
  /// The value(s), for checkpoints and logs.
  var values: [Float] { get }
  /// Restores ``values``; throws for the wrong count or an invalid value.
  func setValues(_ values: [Float]) throws
  /// Perturbs the value as the hyperparameter's rule says; returns whether it changed.
  @discardableResult func perturb(generator: inout RandomGenerator) -> Bool
}

/// How a hyperparameter starts.
public enum InitialValue: Equatable, Sendable {
  /// Exactly this value.
  case exact(Float)
  /// A log-uniform draw from `[lower, upper]`.
  case logUniform(lower: Float, upper: Float)

  /// The starting value (drawing from `generator` for a range).
  ///
  /// - Throws: ``HyperparameterError`` for a range that is not `0 < lower <= upper`.
  public func draw(generator: inout RandomGenerator, name: String) throws -> Float {
    switch self {
    case .exact(let value):
      guard value.isFinite else {
        throw HyperparameterError(name: name, message: "must be finite, got \(value)")
      }
      return value
    case .logUniform(let lower, let upper):
      guard lower > 0, lower <= upper, upper.isFinite else {
        throw HyperparameterError(
          name: name, message: "range must be (min, max) with 0 < min <= max, got (\(lower), \(upper))")
      }
      let (a, b) = (Foundation.log(Double(lower)), Foundation.log(Double(upper)))
      return Swift.min(
        upper, Swift.max(lower, Float(Foundation.exp(a + (b - a) * Double(generator.nextUniform())))))
    }
  }
}

/// A hyperparameter argument or value that is not allowed.
public struct HyperparameterError: Error, CustomStringConvertible, Equatable {
  public let name: String
  public let message: String

  public init(name: String, message: String) {
    self.name = name
    self.message = message
  }
  public var description: String { "\(name): \(message)" }
}

/// How population-based training changes a hyperparameter when it explores (the reference's
/// `perturb_probability` and `perturb_max_pct_change`): with ``probability`` (always when it is 1),
/// a real value is multiplied by `1 + u`, `u` uniform in `[-maxPercentChange, maxPercentChange]`;
/// an integer is redrawn instead.
///
/// ```swift
/// let rule = try Perturbation(probability: 0.5, maxPercentChange: 0.2, name: "entropy_cost")
/// if rule.happens(generator: &g) { cost = rule.scaled(cost, generator: &g) }
/// ```
public struct Perturbation: Sendable, Equatable {
  public let probability: Float
  public let maxPercentChange: Float

  /// - Throws: ``HyperparameterError`` naming `name` unless `0 <= probability <= 1` and
  ///   `maxPercentChange >= 0`.
  public init(probability: Float = 1, maxPercentChange: Float = 0.2, name: String) throws {
    guard (0...1).contains(probability) else {
      throw HyperparameterError(
        name: name, message: "perturb_probability must be >= 0 and <= 1, got \(probability)")
    }
    guard maxPercentChange >= 0, maxPercentChange.isFinite else {
      throw HyperparameterError(
        name: name, message: "perturb_max_pct_change must be >= 0 and finite, got \(maxPercentChange)")
    }
    self.probability = probability
    self.maxPercentChange = maxPercentChange
  }

  /// Whether a perturbation happens this time; draws from `generator` unless the probability is 1.
  public func happens(generator: inout RandomGenerator) -> Bool {
    probability == 1 || generator.nextUniform() < probability
  }

  /// `value · (1 + u)`, `u` drawn uniformly from `[-maxPercentChange, maxPercentChange]`.
  public func scaled(_ value: Float, generator: inout RandomGenerator) -> Float {
    value + (2 * generator.nextUniform() - 1) * maxPercentChange * value
  }
}
