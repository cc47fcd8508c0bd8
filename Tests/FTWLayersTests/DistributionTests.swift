import FTWLayers
import FTWTensor
import Foundation
import Testing

@Suite struct DistributionTests {
  @Test func distributions() {
    var g = RandomGenerator(seed: 16)
    let policy = Categorical(
      logits: Tensor(shape: [1, 3], scalars: [0, Foundation.log(2), Foundation.log(7)]))
    var counts = [0, 0, 0]
    for _ in 0..<5000 { counts[Int(policy.sample(generator: &g).scalars[0])] += 1 }
    #expect(abs(Float(counts[2]) / 5000 - 0.7) < 0.03 && abs(Float(counts[0]) / 5000 - 0.1) < 0.02)
    #expect(abs(policy.logProbability(of: IndexTensor([1])).scalar - Foundation.log(0.2)) < 1e-6)
    let entropy: Float = -[0.1, 0.2, 0.7].map { $0 * Foundation.log($0) }.reduce(0, +)
    #expect(abs(policy.entropy().scalar - entropy) < 1e-6)
    let p = MultivariateNormalDiag(
      loc: Tensor(shape: [1, 2], scalars: [0, 1]), scale: Tensor(shape: [1, 2], scalars: [1, 2]))
    #expect(abs(p.klDivergence(to: p).scalar) < 1e-7)
    let standard = MultivariateNormalDiag(loc: Tensor(zeros: [1, 1]), scale: Tensor(ones: [1, 1]))
    #expect(
      abs(standard.logProbability(of: Tensor(zeros: [1, 1])).scalar + 0.5 * Foundation.log(2 * Float.pi))
        < 1e-6)
    #expect(abs(standard.entropy().scalar - 0.5 * (1 + Foundation.log(2 * Float.pi))) < 1e-6)
  }
}
