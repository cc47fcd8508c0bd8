import FTWTestSupport
import Testing

@testable import FTWTensor

/// `C = op(A) op(B)` the slow way, in Double.
func naiveProduct(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> [Float] {
  let (ar, ac) = (a.shape[0], a.shape[1])
  let (br, bc) = (b.shape[0], b.shape[1])
  let (m, k) = transposeA ? (ac, ar) : (ar, ac)
  let n = transposeB ? br : bc
  let (x, y) = (a.scalars, b.scalars)
  var c = [Float](repeating: 0, count: m * n)
  for i in 0..<m {
    for j in 0..<n {
      var total = 0.0
      for p in 0..<k {
        let left = transposeA ? x[p * ac + i] : x[i * ac + p]
        let right = transposeB ? y[j * bc + p] : y[p * bc + j]
        total += Double(left) * Double(right)
      }
      c[i * n + j] = Float(total)
    }
  }
  return c
}

/// The shapes the product tests use, `(m, n, k)`: square and ragged blocks, few-row products (the
/// small-M kernel's, up to 16 rows, threaded from 2^20 multiply-adds), and one product deeper and
/// wider than every build's blocks (`Gemm.blockedKernel()`), whose depth is not a multiple of 8.
let productShapes = [
  (1, 1, 1), (7, 13, 5), (6, 16, 256), (37, 50, 300), (100, 3, 600), (130, 70, 1), (1, 300, 50),
  (3, 70, 203), (8, 601, 100), (4, 1000, 1030), (5, 103, 77), (7, 29, 301), (12, 300, 70), (16, 257, 600),
  (17, 600, 801),
]

/// Checks `multiply`, a row-major `C = alpha op(A) op(B) + beta C` with `alpha` 0.5 and `beta` 2,
/// against the naive product for every shape of `productShapes` and every transposition.
func expectProductsMatchTheNaiveProduct(
  _ label: String,
  _ multiply: (
    _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>,
    _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ c: UnsafeMutablePointer<Float>
  ) -> Void
) {
  for (m, n, k) in productShapes {
    for transposeA in [false, true] {
      for transposeB in [false, true] {
        let a = random(transposeA ? [k, m] : [m, k], seed: 11)
        let b = random(transposeB ? [n, k] : [k, n], seed: 12)
        let initial = random([m, n], seed: 13)
        var c = initial.scalars
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
              multiply(
                transposeA, transposeB, m, n, k, pa.baseAddress!, a.shape[1], pb.baseAddress!, b.shape[1],
                pc.baseAddress!)
            }
          }
        }
        let expected = zip(
          naiveProduct(a, b, transposeA: transposeA, transposeB: transposeB), initial.scalars
        )
        .map { 0.5 * $0 + 2 * $1 }
        let worst = zip(c, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(
          worst < 1e-4 * Float(k), "\(label) m=\(m) n=\(n) k=\(k) tA=\(transposeA) tB=\(transposeB): \(worst)"
        )
      }
    }
  }
}

@Suite struct GemmTests {
  @Test func routedProductsMatchTheNaiveProduct() {
    #expect(Gemm.runsOnSmallMKernel(transposeA: false, transposeB: true, m: 8, n: 601, k: 100))
    #expect(!Gemm.runsOnSmallMKernel(transposeA: true, transposeB: false, m: 8, n: 601, k: 100))
    let rows = Gemm.smallMRows(transposeB: false)
    #expect(Gemm.runsOnSmallMKernel(transposeA: false, transposeB: false, m: rows, n: 601, k: 100))
    #expect(!Gemm.runsOnSmallMKernel(transposeA: false, transposeB: false, m: rows + 1, n: 601, k: 100))
    expectProductsMatchTheNaiveProduct("Gemm") { tA, tB, m, n, k, a, lda, b, ldb, c in
      Gemm.multiply(
        transposeA: tA, transposeB: tB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb, beta: 2,
        c: c, ldc: n)
    }
  }

  /// A few rows against a whole 2-D tensor read it packed in strips from the third product on,
  /// packed once with its storage (the packed products agree bit for bit, whatever their row
  /// count); a copy of the tensor starts over.
  @Test func smallMProductsReadTheirWeightsPackedFromTheThirdOn() {
    let (x, w) = (random([6, 300], seed: 21), random([300, 70], seed: 22))
    let (products, entries) = KernelProfile.collect { (0..<4).map { _ in matmul(x, w) } }
    let kernels = entries.map { "\($0.kernel) \($0.calls)" }.sorted()
    let isa = KernelInstructionSet.active
    #expect(kernels == ["small-M \(isa) 2", "small-M packed \(isa) 2"])
    let expected = naiveProduct(x, w, transposeA: false, transposeB: false)
    #expect(products.allSatisfy { close($0, expected, 1e-3) })
    #expect(products[3].scalars == products[2].scalars)
    let rows = Tensor(shape: [2, 300], scalars: Array(x.scalars[600..<1200]))
    #expect(matmul(rows, w).scalars == Array(products[2].scalars[140..<280]))
    let copy = Tensor(shape: w.shape, scalars: w.scalars)
    #expect(KernelProfile.collect { matmul(x, copy) }.1.map(\.kernel) == ["small-M \(isa)"])
  }

  /// Up to 16 rows against a weight run on the small-M kernel once the weight is packed, on every
  /// CPU (before that, on the kernel each build chooses for that many rows).
  @Test func sixteenRowsReadTheirWeightsPacked() {
    let (x, w) = (random([Gemm.packedSmallMRows, 300], seed: 23), random([300, 70], seed: 24))
    let (products, entries) = KernelProfile.collect { (0..<3).map { _ in matmul(x, w) } }
    #expect(entries.last?.kernel == "small-M packed \(KernelInstructionSet.active)")
    let expected = naiveProduct(x, w, transposeA: false, transposeB: false)
    #expect(products.allSatisfy { close($0, expected, 1e-3) })
    let more = random([Gemm.packedSmallMRows + 1, 300], seed: 25)
    #expect(KernelProfile.collect { matmul(more, w) }.1.map(\.kernel).allSatisfy { $0.hasPrefix("blocked") })
  }

  @Test func betaZeroIgnoresNaNInOutput() {
    let a = random([40, 40])
    var c = [Float](repeating: .nan, count: 1600)
    a.withUnsafeBufferPointer { p in
      c.withUnsafeMutableBufferPointer { pc in
        Gemm.multiply(
          m: 40, n: 40, k: 40, a: p.baseAddress!, lda: 40, b: p.baseAddress!, ldb: 40, c: pc.baseAddress!,
          ldc: 40)
      }
    }
    #expect(c.allSatisfy { $0.isFinite })
  }
}
