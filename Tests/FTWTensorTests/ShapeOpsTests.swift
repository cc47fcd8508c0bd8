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
