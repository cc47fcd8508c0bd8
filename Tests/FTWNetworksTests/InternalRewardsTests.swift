import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct InternalRewardsTests {
  @Test func internalRewards() throws {
    var g = RandomGenerator(seed: 14)
    let exact = try InternalRewards(numEvents: 3, initialValue: .exact(0.5), generator: &g)
    #expect(exact.values == [0.5, 0.5, 0.5])
    try exact.setValues([1, 2, 3])
    #expect(exact.reward(events: Tensor(shape: [2, 3], scalars: [1, 0, 0, 1, 1, 1])).scalars == [1, 6])
    let drawn = try InternalRewards(
      numEvents: 500, initialValue: .logUniform(lower: 0.01, upper: 1), generator: &g)
    let values = drawn.values
    #expect(values.allSatisfy { $0 >= 0.01 && $0 <= 1 })
    // Log-uniform: about half the draws fall below the geometric mean 0.1.
    #expect(abs(Float(values.filter { $0 < 0.1 }.count) / 500 - 0.5) < 0.08)
    let before = drawn.values
    #expect(drawn.perturb(generator: &g))
    #expect(zip(drawn.values, before).allSatisfy { abs($0 - $1) <= 0.2 * $1 + 1e-6 })
    #expect(drawn.values != before)
    let never = try InternalRewards(
      numEvents: 2, initialValue: .exact(1), perturbProbability: 0, generator: &g)
    #expect(!never.perturb(generator: &g))
    let single = try InternalRewards(numEvents: 1, initialValue: .exact(2), generator: &g)
    #expect(single.reward(events: Tensor([1, -1])).scalars == [2, -2])
  }
}
