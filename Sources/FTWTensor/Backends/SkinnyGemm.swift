import CFTWKernels

/// Products with a few rows, `C = alpha * A · op(B) + beta * C` for `A` of at most
/// ``Gemm/smallMRows(transposeB:)`` rows, by a C kernel that streams B once into register tiles instead of
/// packing it; large ones are split by columns across the ``WorkerPool``.
enum SkinnyGemm {
  static func multiply(
    transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
    on isa: KernelInstructionSet = .active
  ) {
    guard m > 0, n > 0 else { return }
    let pool = WorkerPool.shared
    let threads = m * n * k >= 1 << 20 ? Swift.min(pool.threadCount, Swift.max(1, n / 64)) : 1
    pool.run(parts: threads) { part in
      // Column ranges on multiples of 16, so every column goes through the vector loops alike.
      let blocks = (n + 15) / 16
      let (first, last) = (
        Swift.min(n, 16 * (blocks * part / threads)), Swift.min(n, 16 * (blocks * (part + 1) / threads))
      )
      guard last > first else { return }
      ftw_sgemm_skinny_on(
        isa.kernelValue, transposeB ? 1 : 0, m, first, last, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
  }

  /// `C = alpha * A · B + beta * C` with `B [k, n]` packed in strips by `ftw_skinny_pack` (or in
  /// `bf16`, by `ftw_skinny_pack_bf16`), split by strips across the pool as
  /// ``multiply(transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:on:)`` splits columns.
  static func multiplyPacked(
    m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int, packed: UnsafePointer<Float>,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, on isa: KernelInstructionSet = .active,
    in precision: Precision = .fp32
  ) {
    guard m > 0, n > 0 else { return }
    let pool = WorkerPool.shared
    let threads = m * n * k >= 1 << 20 ? Swift.min(pool.threadCount, Swift.max(1, n / 64)) : 1
    let strips = (n + 15) / 16
    pool.run(parts: threads) { part in
      let (first, last) = (strips * part / threads, strips * (part + 1) / threads)
      guard last > first else { return }
      if precision == .bf16 {
        let pairs = UnsafeRawPointer(packed).assumingMemoryBound(to: UInt32.self)
        ftw_sgemm_skinny_packed_bf16(m, first, last, n, k, alpha, a, lda, pairs, beta, c, ldc)
      } else {
        ftw_sgemm_skinny_packed_on(isa.kernelValue, m, first, last, n, k, alpha, a, lda, packed, beta, c, ldc)
      }
    }
  }
}
