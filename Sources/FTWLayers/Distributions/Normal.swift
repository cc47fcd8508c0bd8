import FTWTensor
import Foundation

/// Normal distributions, elementwise: `loc` and `scale` of the same shape (TensorFlow
/// Probability's `Normal`). All methods are differentiable in `loc` and `scale`.
///
/// ```swift
/// let normal = Normal(loc: Tensor([0, 1]), scale: Tensor([1, 2]))
/// let x = normal.sample(noise: Tensor([0.5, -1]))   // loc + scale * noise
/// ```
public struct Normal: Sendable {
  public let loc: Tensor
  public let scale: Tensor

  public init(loc: Tensor, scale: Tensor) {
    precondition(loc.shape == scale.shape, "loc \(loc.shape) and scale \(scale.shape) differ")
    self.loc = loc
    self.scale = scale
  }

  /// `loc + scale * noise`: the reparameterised sample for standard-normal `noise`.
  public func sample(noise: Tensor) -> Tensor { loc + scale * noise }

  /// A reparameterised sample with noise drawn from `generator`.
  public func sample(generator: inout RandomGenerator) -> Tensor {
    sample(noise: Tensor(randomNormal: loc.shape, generator: &generator))
  }

  /// The log density of `value`, elementwise.
  public func logProbability(of value: Tensor) -> Tensor {
    let standardised = (value - loc) / scale
    return -0.5 * standardised.squared() - scale.log() - 0.5 * Float(Foundation.log(2 * Double.pi))
  }

  /// The differential entropy, elementwise: `0.5 + 0.5 log(2π) + log(scale)`.
  public func entropy() -> Tensor {
    scale.log() + Float(0.5 + 0.5 * Foundation.log(2 * Double.pi))
  }

  /// `KL(self ‖ other)`, elementwise.
  public func klDivergence(to other: Normal) -> Tensor {
    let ratio = scale / other.scale
    let difference = (loc - other.loc) / other.scale
    return 0.5 * (ratio.squared() + difference.squared()) - 0.5 - ratio.log()
  }
}

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

/// A categorical distribution over the last axis of `logits` `[..., K]` (TensorFlow
/// Probability's `Categorical`).
///
/// ```swift
/// let policy = Categorical(logits: logits)            // [B, K]
/// let actions = policy.sample(generator: &generator)  // IndexTensor [B]
/// ```
public struct Categorical: Sendable {
  public let logits: Tensor

  public init(logits: Tensor) {
    precondition(logits.rank >= 1, "Categorical needs logits [..., K], got \(logits.shape)")
    self.logits = logits
  }

  /// The normalised log probabilities `[..., K]`.
  public var logProbabilities: Tensor { logits.logSoftmax() }

  /// The probabilities `[..., K]`.
  public var probabilities: Tensor { logits.softmax() }

  /// The log probability of each action: `[...]`.
  public func logProbability(of actions: IndexTensor) -> Tensor {
    (logProbabilities * actions.oneHot(depth: logits.shape[logits.rank - 1])).sum(alongAxis: -1)
  }

  /// The entropy `-sum(p log p)`: `[...]`.
  public func entropy() -> Tensor {
    let logP = logProbabilities
    return -(logP.exp() * logP).sum(alongAxis: -1)
  }

  /// One action per row, drawn by inverting the cumulative probabilities at a uniform draw.
  public func sample(generator: inout RandomGenerator) -> IndexTensor {
    let classes = logits.shape[logits.rank - 1]
    let p = probabilities.scalars
    let rows = p.count / Swift.max(classes, 1)
    var actions = [Int32](repeating: 0, count: rows)
    for row in 0..<rows {
      let u = generator.nextUniform()
      var cumulative: Float = 0
      var chosen = classes - 1
      for k in 0..<classes {
        cumulative += p[row * classes + k]
        if u < cumulative {
          chosen = k
          break
        }
      }
      actions[row] = Int32(chosen)
    }
    return IndexTensor(shape: Array(logits.shape.dropLast()), scalars: actions)
  }
}
