import FTWTensor
import FTWTestSupport
import Testing

@Suite struct RandomGeneratorTests {
  @Test func replaysBitForBit() {
    var a = RandomGenerator(seed: 99)
    var b = RandomGenerator(seed: 99)
    let x = Tensor(randomNormal: [100], generator: &a)
    let y = Tensor(randomNormal: [100], generator: &b)
    #expect(x.isIdentical(to: y))
    #expect(a == b)
    var c = RandomGenerator(state: a.state)
    #expect(c.next() == a.next())
    var d = RandomGenerator(seed: 100)
    #expect(!Tensor(randomNormal: [100], generator: &d).isIdentical(to: x))
  }

  @Test func distributions() {
    var g = RandomGenerator(seed: 5)
    let uniform = Tensor(randomUniform: [20000], lower: 2, upper: 4, generator: &g).scalars
    #expect(uniform.allSatisfy { $0 >= 2 && $0 < 4 })
    #expect(abs(uniform.reduce(0, +) / 20000 - 3) < 0.02)
    let normal = Tensor(randomNormal: [20000], mean: 1, standardDeviation: 2, generator: &g).scalars
    let mean = normal.reduce(0, +) / 20000
    let variance = normal.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20000
    #expect(abs(mean - 1) < 0.05 && abs(variance.squareRoot() - 2) < 0.05)
    let truncated = Tensor(truncatedNormal: [20000], standardDeviation: 0.5, generator: &g).scalars
    #expect(truncated.allSatisfy { abs($0) <= 1 })
    // A normal cut at two deviations keeps about 0.88 of the variance.
    let spread = (truncated.map { $0 * $0 }.reduce(0, +) / 20000).squareRoot()
    #expect(abs(spread - 0.5 * 0.8796) < 0.01)
  }
}
