import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct ArithmeticTests {
  @Test func broadcastingValues() {
    let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let row = Tensor([10, 20, 30])
    let column = Tensor(shape: [2, 1], scalars: [100, 200])
    #expect((a + row).scalars == [11, 22, 33, 14, 25, 36])
    #expect((a - column).scalars == [-99, -98, -97, -196, -195, -194])
    #expect((a * 2).scalars == [2, 4, 6, 8, 10, 12])
    #expect((6 / Tensor([1, 2, 3])).scalars == [6, 3, 2])
    #expect((-a).scalars == [-1, -2, -3, -4, -5, -6])
    #expect((row + column).shape == [2, 3])
    #expect((row + column).scalars == [110, 120, 130, 210, 220, 230])
    #expect(broadcastShape([4, 1, 3], [5, 1]) == [4, 5, 3])
  }

  @Test func broadcastingGradients() {
    checkGradients([random([2, 3]), random([3], seed: 2)]) { $0[0] + $0[1] }
    checkGradients([random([2, 3]), random([2, 1], seed: 2)]) { $0[0] - $0[1] }
    checkGradients([random([4, 1, 3]), random([5, 1], seed: 2)]) { $0[0] * $0[1] }
    checkGradients([random([2, 3]), random([3], 0.5, 2, seed: 2)]) { $0[0] / $0[1] }
    checkGradients([random([2, 3])]) { -$0[0] * 3 + 1 }
    checkGradients([random([1, 3])]) { $0[0].broadcasted(to: [4, 3]) }
  }

  @Test func maximumAndMinimumSendTiesToTheFirstOperand() {
    let a = Tensor([1, 5, 3]).watched()
    let b = Tensor([2, 5, 1]).watched()
    let top = maximum(a, b)
    #expect(top.scalars == [2, 5, 3])
    let g = gradients(of: top.sum(), withRespectTo: [a, b])
    #expect(g[0].scalars == [0, 1, 1])
    #expect(g[1].scalars == [1, 0, 0])
    let bottom = minimum(a, b)
    #expect(bottom.scalars == [1, 5, 1])
    let h = gradients(of: bottom.sum(), withRespectTo: [a, b])
    #expect(h[0].scalars == [1, 1, 0])
    #expect(h[1].scalars == [0, 0, 1])
    checkGradients([random([3, 4]), random([4], seed: 3)]) { maximum($0[0], $0[1]) }
    checkGradients([random([3, 4]), random([4], seed: 3)]) { minimum($0[0], $0[1]) }
  }

  @Test func selectPicksAndRoutesGradients() {
    let mask = Tensor([1, 0, 1])
    let a = Tensor([1, 2, 3]).watched()
    let b = Tensor([10, 20, 30]).watched()
    let picked = select(mask, a, b)
    #expect(picked.scalars == [1, 20, 3])
    let g = gradients(of: (picked * Tensor([1, 2, 3])).sum(), withRespectTo: [a, b])
    #expect(g[0].scalars == [1, 0, 3])
    #expect(g[1].scalars == [0, 2, 0])
    checkGradients([random([2, 3]), random([3], seed: 4)]) {
      select(Tensor(shape: [2, 1], scalars: [0, 1]), $0[0], $0[1])
    }
  }

  @Test func comparisonsGiveMasks() {
    let a = Tensor([1, 2, 3])
    let b = Tensor([2, 2, 2])
    #expect(a.isGreater(than: b).scalars == [0, 0, 1])
    #expect(a.isGreaterOrEqual(to: b).scalars == [0, 1, 1])
    #expect(a.isLess(than: b).scalars == [1, 0, 0])
    #expect(a.isEqual(to: b).scalars == [0, 1, 0])
  }
}
