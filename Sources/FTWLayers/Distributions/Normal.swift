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
