import FTWTensor

/// How a parameter's first value is drawn (Sonnet's initialisers).
///
/// ```swift
/// let w = Initializer.truncatedNormal(standardDeviation: 0.1).tensor(shape: [4, 3], generator: &g)
/// ```
public enum Initializer: Sendable, Equatable {
  /// All zeros (Sonnet's default for biases).
  case zeros
  /// Every element `value`.
  case constant(Float)
  /// Normal values cut at two standard deviations (Sonnet's default for weights, with standard
  /// deviation `1 / sqrt(fan_in)`).
  case truncatedNormal(standardDeviation: Float)
  /// Normal values.
  case normal(standardDeviation: Float)
  /// Uniform values in `[lower, upper)`.
  case uniform(lower: Float, upper: Float)
  /// Keras' `VarianceScaling(scale)` (fan-in, truncated normal): deviation
  /// `sqrt(scale / fan_in) / 0.8796` so that the truncated values have variance `scale / fan_in`,
  /// with `fan_in` the product of all but the last extent.
  case varianceScaling(scale: Float)

  /// Sonnet's default weight initialiser for a layer whose fan-in is `fanIn`.
  public static func sonnetDefault(fanIn: Int) -> Initializer {
    .truncatedNormal(standardDeviation: 1 / Float(fanIn).squareRoot())
  }

  /// A tensor of `shape` drawn from this initialiser.
  public func tensor(shape: [Int], generator: inout RandomGenerator) -> Tensor {
    switch self {
    case .zeros: return Tensor(zeros: shape)
    case .constant(let value): return Tensor(repeating: value, shape: shape)
    case .truncatedNormal(let deviation):
      return Tensor(truncatedNormal: shape, standardDeviation: deviation, generator: &generator)
    case .normal(let deviation):
      return Tensor(randomNormal: shape, standardDeviation: deviation, generator: &generator)
    case .uniform(let lower, let upper):
      return Tensor(randomUniform: shape, lower: lower, upper: upper, generator: &generator)
    case .varianceScaling(let scale):
      let fanIn = Swift.max(1, shape.dropLast().reduce(1, *))
      let deviation = (scale / Float(fanIn)).squareRoot() / 0.879_625_66
      return Tensor(truncatedNormal: shape, standardDeviation: deviation, generator: &generator)
    }
  }
}
