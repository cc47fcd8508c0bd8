import FTWTensor

/// A multivariate normal with diagonal covariance over the last axis (TensorFlow Probability's
/// `MultivariateNormalDiag`, and equally `Independent(Normal)` with one reinterpreted axis).
///
/// `loc` and `scale` are `[..., D]`; densities, entropies and divergences are `[...]`.
///
/// ```swift
/// let p = MultivariateNormalDiag(loc: mean, scale: stddev)
/// let kl = p.klDivergence(to: MultivariateNormalDiag(loc: priorMean, scale: priorStddev))   // [B]
/// ```
public struct MultivariateNormalDiag: Sendable {
  /// The per-dimension normal.
  public let marginals: Normal

  public init(loc: Tensor, scale: Tensor) {
    marginals = Normal(loc: loc, scale: scale)
  }

  public var mean: Tensor { marginals.loc }
  public var standardDeviation: Tensor { marginals.scale }

  /// `loc + scale * noise`.
  public func sample(noise: Tensor) -> Tensor { marginals.sample(noise: noise) }

  /// A reparameterised sample with noise drawn from `generator`.
  public func sample(generator: inout RandomGenerator) -> Tensor { marginals.sample(generator: &generator) }

  /// The log density of `value` `[..., D]`: `[...]`.
  public func logProbability(of value: Tensor) -> Tensor {
    marginals.logProbability(of: value).sum(alongAxis: -1)
  }

  /// The entropy: `[...]`.
  public func entropy() -> Tensor { marginals.entropy().sum(alongAxis: -1) }

  /// `KL(self ‖ other)`: `[...]`.
  public func klDivergence(to other: MultivariateNormalDiag) -> Tensor {
    marginals.klDivergence(to: other.marginals).sum(alongAxis: -1)
  }
}
