import FTWTensor
import FTWTestSupport
import Testing

@Suite struct MatMulTests {
  @Test func valuesAndShapes() {
    let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
    #expect(matmul(a, b).scalars == [58, 64, 139, 154])
    #expect(matmul(a, a, transposeB: true).scalars == [14, 32, 32, 77])
    #expect(matmul(a, a, transposeA: true).shape == [3, 3])
    let batched = matmul(stack([a, a * 2]), stack([b, b]))
    #expect(batched.shape == [2, 2, 2])
    #expect(batched.scalars == [58, 64, 139, 154, 116, 128, 278, 308])
    #expect(matmul(stack([a, a]), b).scalars == [58, 64, 139, 154, 58, 64, 139, 154])
  }

  @Test func gradientsMatchFiniteDifferences() {
    for transposeA in [false, true] {
      for transposeB in [false, true] {
        let a = random(transposeA ? [4, 3] : [3, 4], seed: 3)
        let b = random(transposeB ? [5, 4] : [4, 5], seed: 4)
        checkGradients([a, b]) { matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB) }
      }
    }
    checkGradients([random([2, 3, 4]), random([2, 4, 2], seed: 5)]) { matmul($0[0], $0[1]) }
    checkGradients([random([2, 3, 4]), random([2, 2, 4], seed: 5)]) { matmul($0[0], $0[1], transposeB: true) }
    checkGradients([random([2, 3, 4]), random([4, 2], seed: 5)]) { matmul($0[0], $0[1]) }
  }
}
