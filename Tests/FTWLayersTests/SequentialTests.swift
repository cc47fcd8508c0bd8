import FTWLayers
import FTWTensor
import FTWTestSupport
import Testing

@Suite struct SequentialTests {
  @Test func sequentialCountsActivations() throws {
    var g = RandomGenerator(seed: 7)
    let first = try Linear(inputSize: 4, outputSize: 8, generator: &g)
    let second = try Linear(inputSize: 8, outputSize: 2, generator: &g)
    let mlp = Sequential([.layer(first), .activation(.relu), .layer(second), .layer(Flatten())])
    #expect(mlp.namedParameters().map(\.path) == ["layers/0/b", "layers/0/w", "layers/2/b", "layers/2/w"])
    #expect(
      mlp.namedParameters(naming: .reference).map(\.path) == [
        "_layers/0/b", "_layers/0/w", "_layers/2/b", "_layers/2/w",
      ])
    let x = random([3, 4])
    #expect(mlp(x).isIdentical(to: second(first(x).relu())))
    #expect(mlp.parameterCount == 4 * 8 + 8 + 8 * 2 + 2)
  }

  @Test func activationsByName() {
    #expect(Activation(rawValue: "elu") == .elu)
    #expect(Activation.tanh(Tensor([0])).scalars == [0])
    #expect(Activation.allCases.map(\.rawValue) == ["relu", "tanh", "elu"])
  }

  @Test func batchApplyMergesLeadingAxes() throws {
    var g = RandomGenerator(seed: 8)
    let conv = try Conv2D(inputChannels: 2, outputChannels: 3, kernelShape: 3, stride: 2, generator: &g)
    let frames = random([4, 2, 6, 6, 2])
    let out = batchApply(conv.callAsFunction, to: frames)
    #expect(out.shape == [4, 2, 3, 3, 3])
    #expect(
      out.element(3).element(1).isIdentical(
        to: conv(frames.element(3).element(1).expandingShape(at: 0)).squeezingShape(at: 0)))
  }
}
