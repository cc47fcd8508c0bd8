import FTWLayers
import FTWTensor
import FTWTestSupport
import Testing

@Suite struct LinearTests {
  @Test func linearComputesAffineMap() throws {
    var g = RandomGenerator(seed: 1)
    let linear = try Linear(inputSize: 3, outputSize: 2, generator: &g)
    linear.w.value = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
    linear.b!.value = Tensor([10, 20])
    #expect(linear(Tensor(shape: [1, 3], scalars: [1, 1, 1])).scalars == [19, 32])
    #expect(linear(Tensor(zeros: [4, 5, 3])).shape == [4, 5, 2])
    let noBias = try Linear(inputSize: 3, outputSize: 2, withBias: false, generator: &g)
    #expect(noBias.namedParameters().map(\.path) == ["w"])
  }
}
