import FTWTensor
import FTWTestSupport
import Testing

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
