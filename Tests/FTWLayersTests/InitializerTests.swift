import FTWLayers
import FTWTensor
import FTWTestSupport
import Testing

@Suite struct InitializerTests {
  @Test func sonnetDefaultInitialisers() throws {
    var g = RandomGenerator(seed: 2)
    let linear = try Linear(inputSize: 400, outputSize: 300, generator: &g)
    let w = linear.w.value.scalars
    let bound = 2 / Float(400).squareRoot()
    #expect(w.allSatisfy { abs($0) <= bound })
    // A normal cut at two deviations keeps sqrt(0.774) of its deviation.
    let deviation = (w.map { $0 * $0 }.reduce(0, +) / Float(w.count)).squareRoot()
    #expect(abs(deviation - 0.8796 / 20) < 0.001)
    #expect(linear.b!.value.scalars.allSatisfy { $0 == 0 })
    let conv = try Conv2D(inputChannels: 3, outputChannels: 8, kernelShape: 4, generator: &g)
    #expect(conv.w.shape == [4, 4, 3, 8])
    #expect(conv.w.value.scalars.allSatisfy { abs($0) <= 2 / Float(48).squareRoot() })
  }

  @Test func sameSeedSameWeights() throws {
    var a = RandomGenerator(seed: 3)
    var b = RandomGenerator(seed: 3)
    let first = try LSTM(inputSize: 4, hiddenSize: 5, generator: &a)
    let second = try LSTM(inputSize: 4, hiddenSize: 5, generator: &b)
    for ((_, p), (_, q)) in zip(first.namedParameters(), second.namedParameters()) {
      #expect(p.value.isIdentical(to: q.value))
    }
  }
}
