import FTWAgent
import FTWLayers
import FTWTensor
import Foundation
import Testing

@Suite struct VTraceTests {
  @Test func onPolicyItIsTheDiscountedReturn() {
    // T = 2, B = 1, target == behaviour (ρ = 1): v_s are discounted returns bootstrapped from 0.
    let logits = Tensor(shape: [2, 1, 2], scalars: [0.3, -0.2, 1.0, 0.5])
    let returns = vtraceFromLogits(
      behaviourLogits: logits, targetLogits: logits, actions: IndexTensor(shape: [2, 1], scalars: [0, 1]),
      discounts: Tensor(shape: [2, 1], scalars: [0.5, 0.5]),
      rewards: Tensor(shape: [2, 1], scalars: [1, 1]),
      values: Tensor(zeros: [2, 1]), bootstrapValue: Tensor([0]))
    #expect(returns.vs.scalars == [1.5, 1])
    #expect(returns.pgAdvantages.scalars == [1.5, 1])
    #expect(returns.clippedShare == 0)
  }

  @Test func importanceWeightsAreClippedAtOneUnlessAsked() {
    // The target policy picks action 0 with p ≈ 0.88, the behaviour with p ≈ 0.12: ρ ≈ 7.4.
    let target = Tensor(shape: [1, 1, 2], scalars: [1, -1])
    let behaviour = Tensor(shape: [1, 1, 2], scalars: [-1, 1])
    func run(_ clip: Float?) -> VTraceReturns {
      vtraceFromLogits(
        behaviourLogits: behaviour, targetLogits: target, actions: IndexTensor(shape: [1, 1], scalars: [0]),
        discounts: Tensor(shape: [1, 1], scalars: [1]), rewards: Tensor(shape: [1, 1], scalars: [1]),
        values: Tensor(zeros: [1, 1]), bootstrapValue: Tensor([0]), clipRhoThreshold: clip,
        clipPGRhoThreshold: clip)
    }
    #expect(run(1).vs.scalars == [1])
    #expect(run(1).clippedShare == 1)
    #expect(run(10).clippedShare == 0)
    #expect(run(nil).clippedShare == 0)
    let rho = Float(Foundation.exp(2.0))
    #expect(abs(run(nil).vs.scalar - rho) < 1e-3 * rho)
    #expect(abs(run(nil).pgAdvantages.scalar - rho) < 1e-3 * rho)
  }

  @Test func decomposedPoliciesUseTheJointImportanceWeight() {
    // Sizes [2, 3]. Target: p(1) = 3/4 and p(2) = 1/2, joint 3/8; behaviour uniform: 1/2 · 1/3 = 1/6.
    // ρ = (3/8) / (1/6) = 2.25, clipped to 1 for v_s; unclipped it scales the one-step TD error.
    let target = Tensor(
      shape: [1, 1, 5], scalars: [0, Float(Foundation.log(3.0)), 0, 0, Float(Foundation.log(2.0))])
    let behaviour = Tensor(zeros: [1, 1, 5])
    func run(_ clip: Float?) -> VTraceReturns {
      vtraceFromLogits(
        behaviourLogits: behaviour, targetLogits: target,
        actions: IndexTensor(shape: [1, 1, 2], scalars: [1, 2]),
        discounts: Tensor(shape: [1, 1], scalars: [0.5]), rewards: Tensor(shape: [1, 1], scalars: [1]),
        values: Tensor(shape: [1, 1], scalars: [0.25]), bootstrapValue: Tensor([2]), clipRhoThreshold: clip,
        clipPGRhoThreshold: clip, actionSizes: [2, 3])
    }
    // δ = ρ̄ (r + γ V(x_1) - V(x_0)) = ρ̄ (1 + 0.5 · 2 - 0.25) = 1.75 ρ̄.
    #expect(abs(run(1).vs.scalar - (0.25 + 1.75)) < 1e-6)
    #expect(abs(run(nil).vs.scalar - (0.25 + 1.75 * 2.25)) < 1e-5)
    #expect(abs(run(nil).pgAdvantages.scalar - 1.75 * 2.25) < 1e-5)
  }

  @Test func theDecomposedImpalaLossSumsComponentTerms() {
    // One transition, on-policy: the policy-gradient term is -log π(a) · A with the joint log π.
    let logits = Tensor(
      shape: [2, 1, 5],
      scalars: [0, Float(Foundation.log(3.0)), 0, 0, Float(Foundation.log(2.0)), 0, 0, 0, 0, 0])
    let output = ImpalaLoss(discount: 1, baselineCost: 0.5, entropyCost: 0.1, actionSizes: [2, 3])(
      logits: logits, values: Tensor(shape: [2, 1], scalars: [0, 0]), behaviourLogits: logits,
      actions: IndexTensor(shape: [1, 1, 2], scalars: [1, 2]), rewards: Tensor(shape: [1, 1], scalars: [1]),
      discounts: Tensor(shape: [1, 1], scalars: [1]))
    let logP = Foundation.log(0.75) + Foundation.log(0.5)
    #expect(abs(output.policyGradientLoss.scalar - Float(-logP * 1)) < 1e-6)
    let entropy =
      -(0.25 * Foundation.log(0.25) + 0.75 * Foundation.log(0.75))
      - (2 * 0.25 * Foundation.log(0.25) + 0.5 * Foundation.log(0.5))
    #expect(abs(output.entropyLoss.scalar - Float(-0.1 * entropy)) < 1e-6)
    #expect(abs(output.criticLoss.scalar - 0.25) < 1e-6)
  }
}
