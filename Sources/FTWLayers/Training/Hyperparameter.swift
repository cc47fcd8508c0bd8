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

/// Throws unless `probability` is in `[0, 1]`.
func validatePerturbation(probability: Float, maxPercentChange: Float = 0, name: String) throws {
  guard (0...1).contains(probability) else {
    throw HyperparameterError(
      name: name, message: "perturb_probability must be >= 0 and <= 1, got \(probability)")
  }
  guard maxPercentChange >= 0 else {
    throw HyperparameterError(
      name: name, message: "perturb_max_pct_change must be >= 0, got \(maxPercentChange)")
  }
}

/// Whether a perturbation with `probability` happens this time (always at 1, as the reference).
func perturbationHappens(_ probability: Float, generator: inout RandomGenerator) -> Bool {
  probability == 1 || generator.nextUniform() < probability
}

/// A real-valued hyperparameter (the reference's `FloatHyperparameter`): perturbing multiplies it by
/// `1 + u`, `u` uniform in `[-maxPercentChange, maxPercentChange]`, with probability
/// `perturbProbability`.
public final class FloatHyperparameter: Hyperparameter {
  public let name: String
  public let perturbProbability: Float
  public let perturbMaxPercentChange: Float
  /// The current value.
  public private(set) var value: Float

  public init(
    name: String, initialValue: InitialValue, perturbProbability: Float = 1,
    perturbMaxPercentChange: Float = 0.2,
    generator: inout RandomGenerator
  ) throws {
    try validatePerturbation(
      probability: perturbProbability, maxPercentChange: perturbMaxPercentChange, name: name)
    self.name = name
    self.perturbProbability = perturbProbability
    self.perturbMaxPercentChange = perturbMaxPercentChange
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
    guard perturbationHappens(perturbProbability, generator: &generator) else { return false }
    value += (2 * generator.nextUniform() - 1) * perturbMaxPercentChange * value
    return true
  }
}

/// An integer hyperparameter in `[minimum, maximum]` (the reference's `IntHyperparameter`):
/// it starts at `initialValue` or a uniform draw, and perturbing redraws it uniformly from the
/// range, with probability `perturbProbability`. The slow core's period is one.
public final class IntHyperparameter: Hyperparameter {
  public let name: String
  public let range: ClosedRange<Int>
  public let perturbProbability: Float
  /// The current value.
  public private(set) var value: Int

  public init(
    name: String, range: ClosedRange<Int>, initialValue: Int? = nil, perturbProbability: Float = 1,
    generator: inout RandomGenerator
  ) throws {
    try validatePerturbation(probability: perturbProbability, name: name)
    if let initialValue, !range.contains(initialValue) {
      throw HyperparameterError(name: name, message: "initial value \(initialValue) is outside \(range)")
    }
    self.name = name
    self.range = range
    self.perturbProbability = perturbProbability
    value = initialValue ?? Self.draw(range, &generator)
  }

  private static func draw(_ range: ClosedRange<Int>, _ generator: inout RandomGenerator) -> Int {
    range.lowerBound + Int(generator.next() % UInt64(range.count))
  }

  public var values: [Float] { [Float(value)] }

  public func setValues(_ values: [Float]) throws {
    guard values.count == 1, let integer = Int(exactly: values[0]), range.contains(integer) else {
      throw HyperparameterError(name: name, message: "needs one integer in \(range), got \(values)")
    }
    value = integer
  }

  @discardableResult
  public func perturb(generator: inout RandomGenerator) -> Bool {
    guard perturbationHappens(perturbProbability, generator: &generator) else { return false }
    value = Self.draw(range, &generator)
    return true
  }
}
