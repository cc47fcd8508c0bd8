import FTWTensor

/// An integer hyperparameter in `[minimum, maximum]` (the reference's `IntHyperparameter`):
/// it starts at `initialValue` or a uniform draw, and perturbing redraws it uniformly from the
/// range, with probability `perturbProbability`. The slow core's period is one.
public final class IntHyperparameter: Hyperparameter {
  public let name: String
  public let range: ClosedRange<Int>
  /// When the value is redrawn (its maximum change is not used).
  public let perturbation: Perturbation
  /// The current value.
  public private(set) var value: Int

  public init(
    name: String, range: ClosedRange<Int>, initialValue: Int? = nil, perturbProbability: Float = 1,
    generator: inout RandomGenerator
  ) throws {
    perturbation = try Perturbation(probability: perturbProbability, maxPercentChange: 0, name: name)
    if let initialValue, !range.contains(initialValue) {
      throw HyperparameterError(name: name, message: "initial value \(initialValue) is outside \(range)")
    }
    self.name = name
    self.range = range
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
    guard perturbation.happens(generator: &generator) else { return false }
    value = Self.draw(range, &generator)
    return true
  }
}
