import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct SoftmaxTests {
  @Test func valuesAreStable() {
    let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 1000, 1000, -1000])
    let p = x.softmax()
    let e = [1, 2, 3].map { Foundation.exp(Float($0)) }
    let total = e.reduce(0, +)
    #expect(close(p.slice(0..<1, alongAxis: 0), e.map { $0 / total }))
    #expect(close(p.slice(1..<2, alongAxis: 0), [0.5, 0.5, 0]))
    let logP = x.logSoftmax()
    #expect(
      close(
        logP.slice(1..<2, alongAxis: 0), [-Foundation.log(2), -Foundation.log(2), -2000 - Foundation.log(2)]))
    #expect(logP.scalars.allSatisfy { $0.isFinite })
  }

  @Test func gradientsMatchFiniteDifferences() {
    checkGradients([random([3, 5]) * 3]) { $0[0].softmax() }
    checkGradients([random([3, 5]) * 3]) { $0[0].logSoftmax() }
    checkGradients([random([4, 3, 2])]) { $0[0].softmax(alongAxis: 1) }
    checkGradients([random([4, 3, 2])]) { $0[0].logSoftmax(alongAxis: 0) }
  }
}
