import FTWLayers
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct DecomposedCategoricalTests {
  // Sizes [2, 3]; row 0: component 0 has p = [1/4, 3/4], component 1 p = [1/4, 1/4, 1/2].
  let logits = Tensor(
    shape: [2, 5], scalars: [0, Float(Foundation.log(3.0)), 0, 0, Float(Foundation.log(2.0)), 0, 0, 0, 0, 0])
  let sizes = [2, 3]

  @Test func logProbabilityIsTheSumOverComponents() {
    let policy = DecomposedCategorical(logits: logits, sizes: sizes)
    let logP = policy.logProbability(of: IndexTensor(shape: [2, 2], scalars: [1, 2, 0, 1])).scalars
    #expect(abs(logP[0] - Float(Foundation.log(0.75) + Foundation.log(0.5))) < 1e-6)
    #expect(abs(logP[1] - Float(Foundation.log(0.5) + Foundation.log(1.0 / 3))) < 1e-6)
  }

  @Test func entropyIsTheSumOverComponents() {
    let h0 = -(0.25 * Foundation.log(0.25) + 0.75 * Foundation.log(0.75))
    let h1 = -(2 * 0.25 * Foundation.log(0.25) + 0.5 * Foundation.log(0.5))
    let entropy = DecomposedCategorical(logits: logits, sizes: sizes).entropy().scalars
    #expect(abs(entropy[0] - Float(h0 + h1)) < 1e-6)
    #expect(abs(entropy[1] - Float(Foundation.log(2.0) + Foundation.log(3.0))) < 1e-6)
  }

  @Test func oneComponentIsExactlyACategorical() {
    var generator = RandomGenerator(seed: 3)
    let flat = Tensor(randomUniform: [4, 6], generator: &generator)
    let actions = IndexTensor([0, 5, 2, 3])
    let decomposed = DecomposedCategorical(logits: flat, sizes: [6])
    let categorical = Categorical(logits: flat)
    #expect(decomposed.logProbability(of: actions).scalars == categorical.logProbability(of: actions).scalars)
    #expect(decomposed.entropy().scalars == categorical.entropy().scalars)
    var a = RandomGenerator(seed: 9)
    var b = RandomGenerator(seed: 9)
    #expect(decomposed.sample(generator: &a) == categorical.sample(generator: &b))
  }

  @Test func samplesFollowEachComponentsProbabilities() {
    let row = Tensor(shape: [1, 5], scalars: Array(logits.scalars.prefix(5)))
    let many = concatenate(Array(repeating: row, count: 20_000), alongAxis: 0)
    var generator = RandomGenerator(seed: 1)
    let actions = DecomposedCategorical(logits: many, sizes: sizes).sample(generator: &generator)
    #expect(actions.shape == [20_000, 2])
    let parts = DecomposedCategorical.split(actions, count: 2)
    let first = Float(parts[0].scalars.filter { $0 == 1 }.count) / 20_000
    let third = Float(parts[1].scalars.filter { $0 == 2 }.count) / 20_000
    #expect(abs(first - 0.75) < 0.015)
    #expect(abs(third - 0.5) < 0.015)
    #expect(DecomposedCategorical.joined(parts) == actions)
  }

  @Test func gradientsMatchFiniteDifferences() {
    let actions = IndexTensor(shape: [2, 2], scalars: [1, 2, 0, 1])
    checkGradients([logits]) { inputs in
      let policy = DecomposedCategorical(logits: inputs[0], sizes: sizes)
      return (policy.logProbability(of: actions) + 0.3 * policy.entropy()).sum()
    }
  }
}
