import FTWLayers
import FTWNetworks
import FTWTensor

/// RPTH's two KL terms as the reference learner computes them, costs applied:
/// `kldPriorFixed = cost · Σ KL(prior ‖ N(0, 0.1² I))` over the steps where the slow core
/// updated (`(step + t) mod period == 0`), and `kldPriorPosterior = cost · Σ KL(posterior ‖ prior)`
/// over every step.
///
/// ```swift
/// let kl = RPTHKLLoss(period: 10)
/// let (fixed, priorPosterior) = kl(prior: slow, posterior: fast, step: initialState.step)
/// ```
public struct RPTHKLLoss: Sendable {
  public var period: Float
  public var priorFixedCost: Float
  public var priorPosteriorCost: Float

  public init(period: Float, priorFixedCost: Float = 1e-4, priorPosteriorCost: Float = 1e-3) {
    self.period = period
    self.priorFixedCost = priorFixedCost
    self.priorPosteriorCost = priorPosteriorCost
  }

  /// - Parameters:
  ///   - prior: `[T, B, D]`, the slow core's distribution parameters.
  ///   - posterior: `[T, B, D]`, the fast core's distribution parameters.
  ///   - step: `[B]`, the slow core's step counter at `t = 0`.
  public func callAsFunction(
    prior: LocScaleDistributionParameters, posterior: LocScaleDistributionParameters, step: Tensor
  ) -> (priorFixed: Tensor, priorPosterior: Tensor) {
    let (steps, batch) = (prior.loc.shape[0], prior.loc.shape[1])
    precondition(step.shape == [batch], "step must be [\(batch)], got \(step.shape)")
    let starts = step.scalars
    let updated = Tensor(shape: [steps, batch]) { out in
      for t in 0..<steps {
        for b in 0..<batch {
          out[t * batch + b] = periodicUnitUpdates(atStep: starts[b] + Float(t), period: period) ? 1 : 0
        }
      }
    }
    let fixed = MultivariateNormalDiag(
      loc: Tensor(zeros: prior.loc.shape), scale: Tensor(repeating: 0.1, shape: prior.scale.shape))
    let priorFixed = (prior.distribution.klDivergence(to: fixed) * updated).sum()
    let priorPosterior = posterior.distribution.klDivergence(to: prior.distribution).sum()
    return (priorFixedCost * priorFixed, priorPosteriorCost * priorPosterior)
  }
}
