import CFTWKernels

/// The package's blocked single-precision GEMM (`ftw_sgemm_block`): blocks of op(B) packed to stay
/// in L2, slivers of op(A) packed to stay in L1, and the build's register tile over them (14x32 on
/// AVX-512, 6x16 on AVX2, 3x16 on the baseline), with the block sizes taken from the CPU's caches.
/// Large products are split across the ``WorkerPool``: each thread computes its own block of C
/// and packs what it reads.
enum BlockedGemm {
  /// Row-major `C = alpha * op(A) * op(B) + beta * C` for an `m x k` op(A) and a `k x n` op(B),
  /// in the build for `isa`, or with `bf16` (where ``Precision/isAvailable``) on the bfloat16
  /// build with operands rounded to bfloat16.
  static func multiply(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, on isa: KernelInstructionSet = .active,
    in precision: Precision = .fp32
  ) {
    guard m > 0, n > 0 else { return }
    var product = ftw_gemm(
      transpose_a: transposeA ? 1 : 0, transpose_b: transposeB ? 1 : 0, m: m, n: n, k: k, alpha: alpha,
      beta: beta, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
    precondition(precision.isAvailable, "\(precision) products do not run on this CPU")
    let bf16 = precision == .bf16
    let split = Split(m: m, n: n, k: k, isa: bf16 ? .avx512 : isa)
    WorkerPool.shared.run(parts: split.parts) { part in
      let (rows, columns) = split.block(part)
      let (m0, m1, n0, n1) = (rows.lowerBound, rows.upperBound, columns.lowerBound, columns.upperBound)
      if bf16 {
        ftw_sgemm_block_bf16(&product, m0, m1, n0, n1)
      } else {
        ftw_sgemm_block_on(isa.kernelValue, &product, m0, m1, n0, n1)
      }
    }
  }

  /// How a product's C is cut into one block per thread: along the rows or the columns, in whole
  /// register tiles. Each thread packs all of the operand that is not cut, so the cut goes across
  /// the operand cheaper to pack twice: the columns when op(A) is the smaller (m < n), else the
  /// rows.
  struct Split {
    let m: Int
    let n: Int
    /// Threads, one block each.
    let parts: Int
    /// Whether the blocks are ranges of columns (else of rows).
    let byColumns: Bool
    /// Rows or columns of one register tile, along the cut.
    let tile: Int

    init(m: Int, n: Int, k: Int, isa: KernelInstructionSet) {
      let (rowTile, columnTile) = (
        ftw_sgemm_tile_rows(isa.kernelValue), ftw_sgemm_tile_columns(isa.kernelValue)
      )
      let threads = m * n * k < 48 * 48 * 48 ? 1 : WorkerPool.shared.threadCount
      let (rowTiles, columnTiles) = ((m + rowTile - 1) / rowTile, (n + columnTile - 1) / columnTile)
      let byColumns = columnTiles >= threads && (m < n || rowTiles < threads)
      self.m = m
      self.n = n
      self.byColumns = byColumns
      tile = byColumns ? columnTile : rowTile
      parts = Swift.max(1, Swift.min(threads, byColumns ? columnTiles : rowTiles))
    }

    /// The rows and columns of C that block `part` covers.
    func block(_ part: Int) -> (rows: Range<Int>, columns: Range<Int>) {
      let extent = byColumns ? n : m
      let tiles = (extent + tile - 1) / tile
      let (first, end) = (tile * (tiles * part / parts), tile * (tiles * (part + 1) / parts))
      let cut = Swift.min(extent, first)..<Swift.min(extent, end)
      return byColumns ? (0..<m, cut) : (cut, 0..<n)
    }
  }
}
