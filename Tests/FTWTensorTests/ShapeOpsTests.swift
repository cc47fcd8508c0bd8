import FTWTensor
import FTWTestSupport
import Testing

@Suite struct ShapeOpsTests {
  let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])

  @Test func reshapeAndTranspose() {
    #expect(x.reshaped(to: [3, 2]).scalars == x.scalars)
    #expect(x.reshaped(to: [-1]).shape == [6])
    #expect(x.transposed().scalars == [1, 4, 2, 5, 3, 6])
    let y = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
    let p = y.transposed(permutation: [2, 0, 1])
    #expect(p.shape == [4, 2, 3])
    #expect(p.scalars[0..<6] == [0, 4, 8, 12, 16, 20])
    checkGradients([random([2, 3, 4])]) { $0[0].transposed(permutation: [1, 2, 0]) }
    checkGradients([random([2, 3, 4])]) { $0[0].reshaped(to: [6, 4]) }
    checkGradients([random([2, 3])]) { $0[0].transposed() }
  }

  @Test func sliceAndElement() {
    let y = Tensor(shape: [3, 4], scalars: (0..<12).map(Float.init))
    #expect(y.slice(lowerBounds: [1, 1], sizes: [2, 2]).scalars == [5, 6, 9, 10])
    #expect(y.slice(2..<4, alongAxis: 1).scalars == [2, 3, 6, 7, 10, 11])
    #expect(y.element(1).scalars == [4, 5, 6, 7])
    #expect(y.element(3, alongAxis: 1).scalars == [3, 7, 11])
    checkGradients([random([3, 4, 2])]) { $0[0].slice(lowerBounds: [1, 0, 1], sizes: [2, 3, 1]) }
    checkGradients([random([3, 4])]) { $0[0].element(2, alongAxis: 1) }
  }

  @Test func concatenateSplitStack() {
    let a = Tensor(shape: [2, 1], scalars: [1, 2])
    let b = Tensor(shape: [2, 2], scalars: [3, 4, 5, 6])
    #expect(concatenate([a, b], alongAxis: 1).scalars == [1, 3, 4, 2, 5, 6])
    #expect(concatenate([b, b], alongAxis: 0).shape == [4, 2])
    let parts = x.split(sizes: [1, 2], alongAxis: 1)
    #expect(parts[0].scalars == [1, 4])
    #expect(parts[1].scalars == [2, 3, 5, 6])
    #expect(x.split(count: 3, alongAxis: 1).map(\.scalars) == [[1, 4], [2, 5], [3, 6]])
    let s = stack([Tensor([1, 2]), Tensor([3, 4])], alongAxis: 1)
    #expect(s.shape == [2, 2])
    #expect(s.scalars == [1, 3, 2, 4])
    #expect(s.unstacked(alongAxis: 1).map(\.scalars) == [[1, 2], [3, 4]])
    checkGradients([random([2, 1, 3]), random([2, 2, 3], seed: 2)]) { concatenate($0, alongAxis: 1) }
    checkGradients([random([2, 3]), random([2, 3], seed: 2)]) { stack($0, alongAxis: -1) }
    checkGradients([random([4, 6])]) {
      concatenate($0[0].split(sizes: [2, 4], alongAxis: 1).reversed(), alongAxis: 1)
    }
    checkGradients([random([3, 2])]) { stack($0[0].unstacked(alongAxis: 0).reversed(), alongAxis: 0) }
  }

  @Test func overlappingSlicesStepsAndDenseUsesSumTheirGradients() {
    // Slices' cotangents are added in place into their source's; mixed with a dense use of the
    // source and with overlapping slices and per-step slices they must still sum exactly.
    checkGradients([random([4, 5])]) { t in
      let x = t[0]
      let steps = x.unstacked()
      let overlapping = x.slice(0..<3, alongAxis: 1) * x.slice(2..<5, alongAxis: 1)
      let perStep = stack(steps.map { $0.slice(1..<4, alongAxis: 0).tanh() }, alongAxis: 0)
      return overlapping + perStep + x.slice(0..<3, alongAxis: 1)
        * x.sum(alongAxes: [1], keepingDimensions: true)
    }
  }

  @Test func expandSqueezeFlatten() {
    #expect(x.expandingShape(at: 0).shape == [1, 2, 3])
    #expect(x.expandingShape(at: -1).shape == [2, 3, 1])
    #expect(x.expandingShape(at: 1).squeezingShape(at: 1).shape == [2, 3])
    #expect(Tensor(zeros: [2, 3, 4]).flattened().shape == [2, 12])
    #expect(Tensor(zeros: [2, 3, 4]).flattened(keepingLeadingAxes: 2).shape == [2, 3, 4])
    checkGradients([random([2, 3])]) { $0[0].expandingShape(at: 1).squeezingShape(at: 1) * 2 }
  }
}

@Suite struct IndexingTests {
  @Test func oneHot() {
    let encoded = IndexTensor([2, 0, 5]).oneHot(depth: 3)
    #expect(encoded.shape == [3, 3])
    #expect(encoded.scalars == [0, 0, 1, 1, 0, 0, 0, 0, 0])
  }

  @Test func gather() {
    let table = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
    let rows = table.gathering(atIndices: IndexTensor([2, 0, 2]))
    #expect(rows.shape == [3, 2])
    #expect(rows.scalars == [5, 6, 1, 2, 5, 6])
    let columns = table.gathering(atIndices: IndexTensor(shape: [1, 1], scalars: [1]), alongAxis: 1)
    #expect(columns.shape == [3, 1, 1])
    #expect(columns.scalars == [2, 4, 6])
    checkGradients([random([4, 3])]) { $0[0].gathering(atIndices: IndexTensor([3, 1, 3, 0])) }
    checkGradients([random([2, 4, 3])]) { $0[0].gathering(atIndices: IndexTensor([2, 2]), alongAxis: 1) }
  }

  @Test func takeAlongAxisSortsAndUnsorts() {
    let usage = Tensor(shape: [2, 4], scalars: [0.3, 0.1, 0.4, 0.1, 0.9, 0.2, 0.5, 0.7])
    let order = usage.argsort(alongAxis: 1)
    #expect(order.scalars == [1, 3, 0, 2, 1, 2, 3, 0])
    let sorted = usage.taking(alongAxis: 1, indices: order)
    #expect(sorted.scalars == [0.1, 0.1, 0.3, 0.4, 0.2, 0.5, 0.7, 0.9])
    #expect(usage.argsort(alongAxis: 1, descending: true).scalars == [2, 0, 1, 3, 0, 3, 2, 1])
    checkGradients([random([2, 5])]) {
      $0[0].taking(alongAxis: 1, indices: IndexTensor(shape: [2, 3], scalars: [4, 0, 4, 1, 1, 2]))
    }
  }

  @Test func topK() {
    let x = Tensor(shape: [2, 4], scalars: [1, 3, 3, 2, 0, -1, 5, 4])
    let (values, indices) = x.topK(2)
    #expect(values.scalars == [3, 3, 5, 4])
    #expect(indices.scalars == [1, 2, 2, 3])
    // Distinct values spaced well beyond the finite-difference step, so the order never flips.
    let spaced = Tensor(
      shape: [3, 5], scalars: [3, 1, 4, 0, 2, 9, 5, 7, 6, 8, 10, 14, 12, 11, 13].map { $0 * 0.1 })
    checkGradients([spaced]) { $0[0].topK(3).values }
  }
}

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
