import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct ElementwiseMathTests {
  @Test func values() {
    let x = Tensor([-2, -0.5, 0, 0.5, 2])
    #expect(close(x.exp(), x.scalars.map { Foundation.exp($0) }))
    #expect(close(x.tanh(), x.scalars.map { Foundation.tanh($0) }))
    #expect(close(x.sigmoid(), x.scalars.map { 1 / (1 + Foundation.exp(-$0)) }))
    #expect(x.relu().scalars == [0, 0, 0, 0.5, 2])
    #expect(close(x.elu(), [Foundation.exp(-2) - 1, Foundation.exp(-0.5) - 1, 0, 0.5, 2]))
    #expect(close(x.softplus(), x.scalars.map { Foundation.log(1 + Foundation.exp($0)) }))
    #expect(x.abs().scalars == [2, 0.5, 0, 0.5, 2])
    #expect(x.squared().scalars == [4, 0.25, 0, 0.25, 4])
    #expect(x.clipped(min: -1, max: 1).scalars == [-1, -0.5, 0, 0.5, 1])
    let positive = Tensor([0.25, 1, 4])
    #expect(close(positive.log(), [Foundation.log(0.25), 0, Foundation.log(4)]))
    #expect(close(positive.sqrt(), [0.5, 1, 2]))
    #expect(close(positive.pow(1.5), [0.125, 1, 8]))
    #expect(close(positive.log1p(), [Foundation.log(1.25), Foundation.log(2), Foundation.log(5)]))
  }

  @Test func stableAtExtremes() {
    let x = Tensor([-1000, -90, 90, 1000])
    #expect(x.softplus().scalars == [0, Foundation.exp(-90), 90, 1000])
    #expect(x.sigmoid().scalars == [0, Foundation.exp(-90), 1, 1])
    #expect(x.tanh().scalars == [-1, -1, 1, 1])
    let big = Tensor([1000, 0, -1000]).watched()
    let g = gradients(of: big.softplus().sum(), withRespectTo: [big])[0]
    #expect(g.scalars == [1, 0.5, 0])
    #expect(gradients(of: big.sigmoid().sum(), withRespectTo: [big])[0].scalars.allSatisfy { $0.isFinite })
  }

  @Test func gradientsMatchFiniteDifferences() {
    let x = random([3, 4])
    checkGradients([x]) { $0[0].exp() }
    checkGradients([x]) { $0[0].tanh() }
    checkGradients([x * 4]) { $0[0].sigmoid() }
    checkGradients([x * 3]) { $0[0].softplus() }
    checkGradients([x * 3]) { $0[0].elu() }
    checkGradients([x]) { $0[0].squared() }
    checkGradients([random([3, 4], 0.5, 3)]) { $0[0].log() }
    checkGradients([random([3, 4], 0.5, 3)]) { $0[0].sqrt() }
    checkGradients([random([3, 4], 0.5, 3)]) { $0[0].log1p() }
    checkGradients([random([3, 4], 0.5, 3)]) { $0[0].pow(2.5) }
    // Kinks: keep points away from 0 (relu, abs) and from the clip bounds.
    let away = random([3, 4], 0.1, 1) * Tensor([1, -1, 1, -1])
    checkGradients([away]) { $0[0].relu() }
    checkGradients([away]) { $0[0].abs() }
    checkGradients([Tensor([-2, -0.9, 0.3, 0.8, 1.7])], step: 1e-3) { $0[0].clipped(min: -1, max: 1) }
  }

  @Test func reluGradientAtZeroIsZero() {
    let x = Tensor([0, 1, -1]).watched()
    #expect(FTWTensor.gradients(of: x.relu().sum(), withRespectTo: [x])[0].scalars == [0, 1, 0])
    #expect(FTWTensor.gradients(of: x.abs().sum(), withRespectTo: [x])[0].scalars == [0, 1, -1])
  }
}
