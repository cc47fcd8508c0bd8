import FTWTensor
import FTWTestSupport
import Testing

@Suite struct AutodiffTests {
  @Test func noGraphWithoutWatchedInputs() {
    let a = random([3, 3])
    let y = (matmul(a, a).tanh() + a).sum()
    #expect(!y.requiresGradient)
    #expect(a.watched().exp().requiresGradient)
  }

  @Test func stopAndScaleGradient() {
    let x = Tensor([1, 2]).watched()
    let y = (x * x).stoppingGradient() + x * 3
    #expect(gradients(of: y.sum(), withRespectTo: [x])[0].scalars == [3, 3])
    let z = (x * x).scalingGradient(by: 0.5)
    #expect(z.scalars == [1, 4])
    #expect(gradients(of: z.sum(), withRespectTo: [x])[0].scalars == [1, 2])
  }

  @Test func reusedTensorsAccumulate() {
    let x = Tensor([3]).watched()
    let y = x * x * x + x
    #expect(gradients(of: y.sum(), withRespectTo: [x])[0].scalars == [28])
  }

  @Test func unrelatedSourceGetsZeros() {
    let x = Tensor([1, 2]).watched()
    let unrelated = Tensor([5, 5, 5]).watched()
    let g = gradients(of: x.sum(), withRespectTo: [x, unrelated])
    #expect(g[1].scalars == [0, 0, 0])
  }

  @Test func severalRootsWithCotangents() {
    let x = Tensor([1, 2]).watched()
    let g = gradients(
      of: [x * 2, x.squared()], cotangents: [Tensor([1, 1]), Tensor([10, 100])], withRespectTo: [x])
    #expect(g[0].scalars == [22, 402])
  }

  /// The backward pass writes only the sums it creates: not the caller's cotangents, not forward
  /// values, not a cotangent a pullback passes on as it is (`+` hands `g` to both operands).
  @Test func theBackwardPassWritesOnlyItsOwnSums() {
    let x = Tensor([1, 2, 3]).watched()
    let w = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]).watched()
    let row = x.reshaped(to: [1, 3])
    let product = matmul(row, w)
    let first = product.slice(0..<1, alongAxis: 1).broadcasted(to: [1, 3])
    let second = product.slice(1..<2, alongAxis: 1).broadcasted(to: [1, 3])
    let y = (row + row) + first + second
    let cotangent = Tensor(shape: [1, 3], scalars: [1, 10, 100])
    let (before, xBefore, wBefore) = (cotangent.scalars, x.scalars, w.scalars)
    let g = gradients(of: [y], cotangents: [cotangent], withRespectTo: [x, w])
    #expect(cotangent.scalars == before && x.scalars == xBefore && w.scalars == wBefore)
    // dy/dx = 2 c + (Σc) (w[:, 0] + w[:, 1]); dy/dw = x ⊗ (Σc, Σc).
    #expect(g[0].scalars == [335, 797, 1421])
    #expect(g[1].scalars == [111, 111, 222, 222, 333, 333])
  }

  @Test func deepChainsDoNotOverflowTheStack() {
    var y = Tensor([1]).watched()
    let x = y
    for _ in 0..<20000 { y = y * 1 }
    #expect(gradients(of: y.sum(), withRespectTo: [x])[0].scalars == [1])
  }
}
