import CFTWKernels

/// The package's single-precision matrix product, row-major `C = alpha * op(A) * op(B) + beta * C`,
/// as ``matmul(_:_:transposeA:transposeB:)`` runs it.
///
/// A product of a few rows against a large matrix (an acting step or a recurrent step against a
/// weight matrix) runs on `SkinnyGemm`, which streams the matrix once where a packing GEMM would
/// copy all of it first; every other product runs on `BlockedGemm`. Both are the package's own
/// kernels, built for AVX-512, AVX2 and the baseline (``KernelInstructionSet``).
///
/// ```swift
/// Gemm.multiply(m: 1, n: 1024, k: 512, a: x, lda: 512, b: w, ldb: 1024, c: y, ldc: 1024)
/// ```
public enum Gemm {
  /// Whether a product of this shape runs on the small-M kernel: an untransposed A of at most
  /// ``smallMRows(transposeB:)`` rows against at least 4096 values of B.
  public static func runsOnSmallMKernel(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int) -> Bool {
    !transposeA && m <= smallMRows(transposeB: transposeB) && n * k >= 4096
  }

  /// The most rows the small-M kernel takes on this CPU: 16 against an untransposed B with AVX-512,
  /// else 8.
  public static func smallMRows(transposeB: Bool) -> Int { transposeB ? smallMRowsNT : smallMRowsNN }

  private static let smallMRowsNN = ftw_sgemm_skinny_max_rows(0)
  private static let smallMRowsNT = ftw_sgemm_skinny_max_rows(1)

  /// Threads a large product runs on: the ``WorkerPool``'s (`FTW_NUM_THREADS`, else one per
  /// processor).
  public static var threadCount: Int { WorkerPool.shared.threadCount }

  /// The register tile and blocks of the blocked GEMM in the build for `isa`, for example
  /// `14x32 tile, 512x512 blocks`.
  public static func blockedKernel(on isa: KernelInstructionSet = .active) -> String {
    let value = isa.kernelValue
    return "\(tile(on: isa)) tile, \(ftw_sgemm_depth_block(value))x\(ftw_sgemm_column_block(value)) blocks"
  }

  /// The blocked GEMM's register tile in the build for `isa`, rows by columns: `14x32`.
  static func tile(on isa: KernelInstructionSet) -> String {
    "\(ftw_sgemm_tile_rows(isa.kernelValue))x\(ftw_sgemm_tile_columns(isa.kernelValue))"
  }

  /// The precision a product of this shape runs in while ``Precision/current`` is `precision`: a
  /// large blocked product (``Precision/forProduct(multiplyAdds:in:)``) in bfloat16, every other in
  /// fp32.
  public static func precision(
    of precision: Precision, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int
  ) -> Precision {
    if runsOnSmallMKernel(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k) { return .fp32 }
    return Precision.forProduct(multiplyAdds: m * n * k, in: precision)
  }

  /// Computes the product on the small-M kernel or the blocked GEMM, in the kernels' build for
  /// `isa`; a large blocked product runs in bfloat16 while ``Precision/current`` is `bf16`
  /// (``precision(of:transposeA:transposeB:m:n:k:)``).
  public static func multiply(
    transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, on isa: KernelInstructionSet = .active
  ) {
    multiply(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
      ldb: ldb, beta: beta, c: c, ldc: ldc, on: isa, bStorage: nil)
  }

  /// ``multiply(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:on:)``, where `b` is the
  /// whole of `bStorage` when it is given: then a small-M product against an untransposed B reads B
  /// packed in strips, packed once and kept with the storage (a weight matrix multiplies a batch of
  /// rows at every step of an unroll or an actor's games).
  static func multiply(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>,
    lda: Int,
    b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
    on isa: KernelInstructionSet, bStorage: TensorStorage?
  ) {
    let start = KernelProfile.begin()
    let small = runsOnSmallMKernel(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k)
    let precision = precision(
      of: Precision.current, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k)
    let packed =
      small && !transposeB ? bStorage.map { packedStrips(of: $0, b: b, k: k, n: n, ldb: ldb) } : nil
    defer {
      let kernel =
        small
        ? "small-M \(packed == nil ? "" : "packed ")\(isa)"
        : "blocked \(precision == .bf16 ? .avx512 : isa) \(tile(on: isa))"
      KernelProfile.end(
        start, "gemm \(m)x\(n)x\(k)" + (transposeA ? ":tA" : "") + (transposeB ? ":tB" : ""), kernel: kernel,
        precision: precision, multiplyAdds: m * n * k)
    }
    if let packed {
      SkinnyGemm.multiplyPacked(
        m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, packed: packed.pointer, beta: beta, c: c, ldc: ldc,
        on: isa)
    } else if small {
      SkinnyGemm.multiply(
        transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
        c: c, ldc: ldc, on: isa)
    } else {
      BlockedGemm.multiply(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
        b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, on: isa, in: precision)
    }
  }

  /// `[k, n]` B, the whole of `storage`, packed in strips for the small-M kernel, packed on first
  /// use and kept with the storage.
  private static func packedStrips(
    of storage: TensorStorage, b: UnsafePointer<Float>, k: Int, n: Int, ldb: Int
  ) -> TensorStorage {
    precondition(
      b == UnsafePointer(storage.pointer) && ldb == n && storage.count == k * n, "B is not its storage")
    return storage.form(.skinnyStrips(k: k, n: n), count: ftw_skinny_packed_count(k, n)) {
      ftw_skinny_pack(b, k, n, ldb, $0)
    }
  }
}
