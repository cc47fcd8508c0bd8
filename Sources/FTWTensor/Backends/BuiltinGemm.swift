import CFTWKernels

/// The package's own single-precision GEMM: BLIS-style blocking and packing around a 6x16 register
/// tile (`ftw_sgemm_microkernel`), run on the ``WorkerPool``'s threads. It is what runs when OpenBLAS
/// is not on the machine.
enum BuiltinGemm {
  static let mr = Int(FTW_GEMM_MR)
  static let nr = Int(FTW_GEMM_NR)
  /// Depth of one packed panel: a B sliver (kc x nr) stays in L1.
  static let kc = 256
  /// Most rows of A packed at once: an A block (mc x kc) stays in L2.
  static let maxMC = 96
  /// Most columns of B packed at once.
  static let nc = 3072

  /// Row-major `C = alpha * op(A) * op(B) + beta * C`.
  static func multiply(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    guard m > 0, n > 0 else { return }
    for i in 0..<m {
      let row = c + i * ldc
      if beta == 0 {
        row.update(repeating: 0, count: n)
      } else if beta != 1 {
        for j in 0..<n { row[j] *= beta }
      }
    }
    guard k > 0, alpha != 0 else { return }
    // Element (i, p) of op(A) and (p, j) of op(B) through strides.
    let (aRow, aCol) = transposeA ? (1, lda) : (lda, 1)
    let (bRow, bCol) = transposeB ? (1, ldb) : (ldb, 1)
    let threads = m * n * k < 48 * 48 * 48 ? 1 : WorkerPool.shared.threadCount
    // Row blocks sized so that each thread gets the same number of them.
    let rounds = (m + threads * maxMC - 1) / (threads * maxMC)
    let perBlock = (m + threads * rounds - 1) / (threads * rounds)
    let mc = (perBlock + mr - 1) / mr * mr
    let rowBlocks = (m + mc - 1) / mc
    let packedB = UnsafeMutablePointer<Float>.allocate(capacity: kc * ((Swift.min(nc, n) + nr - 1) / nr * nr))
    defer { packedB.deallocate() }
    for jc in stride(from: 0, to: n, by: nc) {
      let nb = Swift.min(nc, n - jc)
      for pc in stride(from: 0, to: k, by: kc) {
        let kb = Swift.min(kc, k - pc)
        packB(
          b + pc * bRow + jc * bCol, rowStride: bRow, columnStride: bCol, rows: kb, columns: nb,
          into: packedB)
        // Each block of rows of C is written by one thread.
        let work = { (block: Int) in
          let ic = block * mc
          let mb = Swift.min(mc, m - ic)
          computeBlock(
            a: a + ic * aRow + pc * aCol, aRow: aRow, aCol: aCol, rows: mb, depth: kb,
            packedB: packedB, columns: nb, alpha: alpha, c: c + ic * ldc + jc, ldc: ldc)
        }
        if threads > 1 {
          WorkerPool.shared.run(parts: rowBlocks, work)
        } else {
          for block in 0..<rowBlocks { work(block) }
        }
      }
    }
  }

  /// Packs a `rows x columns` block of B into slivers of `nr` columns, zero-padding the last one.
  private static func packB(
    _ b: UnsafePointer<Float>, rowStride: Int, columnStride: Int, rows: Int, columns: Int,
    into packed: UnsafeMutablePointer<Float>
  ) {
    var destination = packed
    for j0 in stride(from: 0, to: columns, by: nr) {
      let width = Swift.min(nr, columns - j0)
      for p in 0..<rows {
        let source = b + p * rowStride + j0 * columnStride
        if columnStride == 1 && width == nr {
          destination.update(from: source, count: nr)
        } else {
          for j in 0..<width { destination[j] = source[j * columnStride] }
          for j in width..<nr { destination[j] = 0 }
        }
        destination += nr
      }
    }
  }

  /// Packs a block of A into slivers of `mr` rows and runs the register tile over it and packed B.
  private static func computeBlock(
    a: UnsafePointer<Float>, aRow: Int, aCol: Int, rows: Int, depth: Int,
    packedB: UnsafePointer<Float>, columns: Int, alpha: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    let slivers = (rows + mr - 1) / mr
    let packedA = UnsafeMutablePointer<Float>.allocate(capacity: slivers * mr * depth)
    defer { packedA.deallocate() }
    for s in 0..<slivers {
      let height = Swift.min(mr, rows - s * mr)
      let destination = packedA + s * mr * depth
      for p in 0..<depth {
        let source = a + s * mr * aRow + p * aCol
        for i in 0..<height { destination[p * mr + i] = source[i * aRow] }
        for i in height..<mr { destination[p * mr + i] = 0 }
      }
    }
    var edge = [Float](repeating: 0, count: mr * nr)
    for j0 in stride(from: 0, to: columns, by: nr) {
      let width = Swift.min(nr, columns - j0)
      let bSliver = packedB + (j0 / nr) * nr * depth
      for s in 0..<slivers {
        let height = Swift.min(mr, rows - s * mr)
        let aSliver = packedA + s * mr * depth
        let tile = c + s * mr * ldc + j0
        if height == mr && width == nr {
          ftw_sgemm_microkernel(depth, aSliver, bSliver, tile, ldc, alpha)
        } else {
          edge.withUnsafeMutableBufferPointer { scratch in
            let t = scratch.baseAddress!
            t.update(repeating: 0, count: mr * nr)
            ftw_sgemm_microkernel(depth, aSliver, bSliver, t, nr, alpha)
            for i in 0..<height {
              for j in 0..<width { tile[i * ldc + j] += t[i * nr + j] }
            }
          }
        }
      }
    }
  }
}
