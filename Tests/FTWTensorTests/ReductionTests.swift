import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct ReductionTests {
  let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])

  @Test func sumsAndMeans() {
    #expect(x.sum().scalar == 21)
    #expect(x.sum().shape == [])
    #expect(x.sum(alongAxis: 0).scalars == [5, 7, 9])
    #expect(x.sum(alongAxis: -1).scalars == [6, 15])
    #expect(x.sum(alongAxis: 1, keepingDimensions: true).shape == [2, 1])
    #expect(x.mean(alongAxes: [0]).scalars == [2.5, 3.5, 4.5])
    #expect(x.mean().scalar == 3.5)
    let y = random([2, 3, 4])
    #expect(close(y.sum(alongAxes: [0, 2]), y.sum(alongAxis: 2).sum(alongAxis: 0).scalars))
  }

  @Test func maxAndLogSumExp() {
    #expect(x.max().scalar == 6)
    #expect(x.max(alongAxes: [1]).scalars == [3, 6])
    let lse = x.logSumExp(alongAxes: [1])
    let expected: [Float] = [1, 4].map { (first: Double) -> Float in
      Float(Foundation.log((0..<3).map { Foundation.exp(first + Double($0)) }.reduce(0, +)))
    }
    #expect(close(lse, expected))
    let huge = Tensor([1000, 1000])
    #expect(close(huge.logSumExp(), [1000 + Foundation.log(2)]))
    #expect(Tensor([-Float.infinity, -Float.infinity]).logSumExp().scalar == -.infinity)
  }

  @Test func tiedMaximaShareTheGradient() {
    let t = Tensor([1, 3, 3]).watched()
    #expect(gradients(of: t.max(), withRespectTo: [t])[0].scalars == [0, 0.5, 0.5])
  }

  @Test func gradientsMatchFiniteDifferences() {
    let y = random([2, 3, 4])
    checkGradients([y]) { $0[0].sum(alongAxes: [0, 2]) }
    checkGradients([y]) { $0[0].sum(alongAxis: 1, keepingDimensions: true) }
    checkGradients([y]) { $0[0].mean(alongAxes: [2]) }
    checkGradients([y]) { $0[0].max(alongAxes: [1]) }
    checkGradients([y]) { $0[0].logSumExp(alongAxes: [2]) }
    checkGradients([y]) { $0[0].sum() }
  }

  @Test func cumulativeProduct() {
    let v = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect(v.cumulativeProduct(alongAxis: 1).scalars == [1, 2, 6, 4, 20, 120])
    #expect(v.cumulativeProduct(alongAxis: 1, exclusive: true).scalars == [1, 1, 2, 1, 4, 20])
    #expect(v.cumulativeProduct(alongAxis: 0).scalars == [1, 2, 3, 4, 10, 18])
    checkGradients([random([2, 4, 3])]) { $0[0].cumulativeProduct(alongAxis: 1) }
    checkGradients([random([2, 4, 3])]) { $0[0].cumulativeProduct(alongAxis: 1, exclusive: true) }
    checkGradients([random([3, 5])]) { $0[0].cumulativeProduct(alongAxis: -1, exclusive: true) }
  }

  @Test func cumulativeProductGradientIsExactAtZero() {
    // d/dx of prod(x) with x = [2, 0, 3]: [0, 6, 0]; division-based gradients give NaN here.
    let x = Tensor([2, 0, 3]).watched()
    let last = x.cumulativeProduct(alongAxis: 0).slice(2..<3, alongAxis: 0)
    #expect(gradients(of: last.sum(), withRespectTo: [x])[0].scalars == [0, 6, 0])
  }
}
