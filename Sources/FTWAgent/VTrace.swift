import FTWLayers
import FTWTensor
import Foundation

/// V-trace targets and policy-gradient advantages (IMPALA; trfl's `vtrace_from_logits`).
///
/// Shapes: `vs` and `pgAdvantages` are `[T, B]`. Neither carries a gradient.
public struct VTraceReturns: Sendable {
  /// The value targets `v_s`.
  public let vs: Tensor
  /// `ρ̄_t (r_t + γ_t v_{t+1} - V(x_t))`.
  public let pgAdvantages: Tensor
  /// The share of the `T · B` importance weights `ρ_t` above the value targets' threshold
  /// `ρ̄_max` (0 without clipping): how far the learned policy has moved from the actors'.
  public let clippedShare: Float
}

/// Computes V-trace from logits (Espeholt et al. 2018; trfl's `vtrace_from_logits`).
///
/// With `ρ_t = π(a_t)/μ(a_t)`: `δ_t = ρ̄_t (r_t + γ_t V(x_{t+1}) - V(x_t))`,
/// `v_s - V(x_s) = δ_s + γ_s c_s (v_{s+1} - V(x_{s+1}))`, `ρ̄ = min(ρ̄_max, ρ)`, `c = min(1, ρ)`.
///
/// - Parameters:
///   - behaviourLogits: `[T, B, A]`, the actors' policy.
///   - targetLogits: `[T, B, A]`, the policy being learned.
///   - actions: `[T, B]`, or `[T, B, K]` for a policy of `K` components.
///   - discounts: `[T, B]`, the per-step discount `γ_t` (0 at an episode's end).
///   - rewards: `[T, B]`.
///   - values: `[T, B]`, `V(x_t)`.
///   - bootstrapValue: `[B]`, `V(x_T)`.
///   - clipRhoThreshold: `ρ̄_max` for the value targets; `nil` for no clipping.
///   - clipPGRhoThreshold: `ρ̄_max` for the advantages; `nil` for no clipping.
///   - actionSizes: the components' sizes for a `DecomposedCategorical` policy (the importance
///     weights use the joint log-probabilities); `nil` for one categorical over `A`.
public func vtraceFromLogits(
  behaviourLogits: Tensor, targetLogits: Tensor, actions: IndexTensor, discounts: Tensor, rewards: Tensor,
  values: Tensor, bootstrapValue: Tensor, clipRhoThreshold: Float? = 1, clipPGRhoThreshold: Float? = 1,
  actionSizes: [Int]? = nil
) -> VTraceReturns {
  let (steps, batch) = (actions.shape[0], actions.shape[1])
  let sizes = actionSizes ?? [targetLogits.shape[targetLogits.rank - 1]]
  precondition(
    actions.rank == (sizes.count == 1 ? 2 : 3),
    "actions must be [T, B]\(sizes.count == 1 ? "" : ", \(sizes.count)"), got \(actions.shape)")
  for (name, tensor) in [("discounts", discounts), ("rewards", rewards), ("values", values)] {
    precondition(tensor.shape == [steps, batch], "\(name) must be [\(steps), \(batch)], got \(tensor.shape)")
  }
  precondition(
    bootstrapValue.shape == [batch], "bootstrapValue must be [\(batch)], got \(bootstrapValue.shape)")
  let numActions = targetLogits.shape[targetLogits.rank - 1]
  let targetLogP = DecomposedCategorical(logits: targetLogits.stoppingGradient(), sizes: sizes)
    .logProbability(of: actions).scalars
  let behaviourLogP = DecomposedCategorical(logits: behaviourLogits.stoppingGradient(), sizes: sizes)
    .logProbability(of: actions).scalars
  precondition(behaviourLogits.shape == [steps, batch, numActions], "behaviourLogits must be [T, B, A]")
  let (gamma, r, v, bootstrap) = (discounts.scalars, rewards.scalars, values.scalars, bootstrapValue.scalars)
  var vs = [Float](repeating: 0, count: steps * batch)
  var advantages = [Float](repeating: 0, count: steps * batch)
  var clipped = 0
  for b in 0..<batch {
    var accumulated: Float = 0  // v_{s+1} - V(x_{s+1}) at the step after the current one
    for t in stride(from: steps - 1, through: 0, by: -1) {
      let i = t * batch + b
      let rho = Foundation.exp(targetLogP[i] - behaviourLogP[i])
      let clippedRho = clipRhoThreshold.map { Swift.min($0, rho) } ?? rho
      if clippedRho < rho { clipped += 1 }
      let c = Swift.min(1, rho)
      let next = t + 1 < steps ? v[i + batch] : bootstrap[b]
      let delta = clippedRho * (r[i] + gamma[i] * next - v[i])
      accumulated = delta + gamma[i] * c * accumulated
      vs[i] = v[i] + accumulated
    }
    for t in 0..<steps {
      let i = t * batch + b
      let rho = Foundation.exp(targetLogP[i] - behaviourLogP[i])
      let clippedPGRho = clipPGRhoThreshold.map { Swift.min($0, rho) } ?? rho
      let nextVs = t + 1 < steps ? vs[i + batch] : bootstrap[b]
      advantages[i] = clippedPGRho * (r[i] + gamma[i] * nextVs - v[i])
    }
  }
  return VTraceReturns(
    vs: Tensor(shape: [steps, batch], scalars: vs),
    pgAdvantages: Tensor(shape: [steps, batch], scalars: advantages),
    clippedShare: Float(clipped) / Float(Swift.max(steps * batch, 1)))
}
