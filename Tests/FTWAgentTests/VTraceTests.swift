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
    let rho = Float(Foundation.exp(2.0))
    #expect(abs(run(nil).vs.scalar - rho) < 1e-3 * rho)
    #expect(abs(run(nil).pgAdvantages.scalar - rho) < 1e-3 * rho)
  }
}
