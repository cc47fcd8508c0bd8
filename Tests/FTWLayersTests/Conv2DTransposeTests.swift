import FTWLayers
import FTWTensor
import FTWTestSupport
import Testing

@Suite struct Conv2DTransposeTests {
  @Test func transposedConvolutionDefaultShapes() throws {
    var g = RandomGenerator(seed: 5)
    let same = try Conv2DTranspose(
      inputChannels: 2, outputChannels: 3, kernelShape: 4, stride: 2, generator: &g)
    #expect(same(Tensor(zeros: [1, 5, 6, 2])).shape == [1, 10, 12, 3])
    let valid = try Conv2DTranspose(
      inputChannels: 2, outputChannels: 3, kernelShape: [3, 2], stride: 2, padding: .valid, generator: &g)
    #expect(valid(Tensor(zeros: [1, 5, 6, 2])).shape == [1, 12, 13, 3])
    let fixed = try Conv2DTranspose(
      inputChannels: 2, outputChannels: 1, kernelShape: 3, outputShape: [9, 11], stride: 2, generator: &g)
    #expect(fixed(Tensor(zeros: [2, 5, 6, 2])).shape == [2, 9, 11, 1])
    #expect(fixed.w.shape == [3, 3, 1, 2])
  }
}
