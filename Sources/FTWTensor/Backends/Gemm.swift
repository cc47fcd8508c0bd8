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

  /// The most rows the small-M kernel takes against a weight packed in strips (an untransposed B
  /// whose storage is given), on every CPU: 16. An acting step at batch 16 on AVX2 streams its
  /// weights once where the blocked GEMM packed them anew every call (`16x256x7744` on Zen 3:
  /// 1.24 -> 0.63-0.67 ms).
  public static let packedSmallMRows = Int(FTW_SKINNY_MAX_M_WIDE)

  /// Whether a product of this shape runs on the small-M kernel once its B is packed: an
  /// untransposed A of at most ``packedSmallMRows`` rows against an untransposed B of at least 4096
  /// values.
  static func runsOnPackedSmallMKernel(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int) -> Bool {
    !transposeA && !transposeB && m <= packedSmallMRows && n * k >= 4096
  }

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
    // A small-M product reads its B packed from the third product against the same storage on (a
    // weight matrix at the steps of an unroll or of an actor's games; not a slice made for one
    // or two products, for which packing would cost more than it saves).
    let bf16 = smallMPrecision(k: k, n: n) == .bf16
    let packed =
      runsOnPackedSmallMKernel(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k)
      ? bStorage.flatMap { packedStrips(of: $0, b: b, k: k, n: n, ldb: ldb, bf16: bf16) } : nil
    let small =
      packed != nil || runsOnSmallMKernel(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k)
    let precision =
      small
      ? (packed != nil && bf16 ? .bf16 : .fp32)
      : self.precision(
        of: Precision.current, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k)
    defer {
      let kernel =
        small
        ? "small-M \(packed == nil ? "" : "packed ")\(precision == .bf16 ? .avx512 : isa)"
        : "blocked \(precision == .bf16 ? .avx512 : isa) \(tile(on: isa))"
      KernelProfile.end(
        start, "gemm \(m)x\(n)x\(k)" + (transposeA ? ":tA" : "") + (transposeB ? ":tB" : ""), kernel: kernel,
        precision: precision, multiplyAdds: m * n * k)
    }
    if let packed {
      SkinnyGemm.multiplyPacked(
        m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, packed: packed.pointer, beta: beta, c: c, ldc: ldc,
        on: isa, in: precision)
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

  /// The fewest values of B for a small-M product against packed weights to read them in bfloat16
  /// while ``Precision/current`` is `bf16`: a product of a few rows streams its B from memory, and
  /// bfloat16 halves the bytes, so it pays for every weight matrix of a recurrent or acting step
  /// (256x256 and up).
  public static let bf16SmallMMinimumValues = 1 << 16

  /// The precision of a small-M product against a packed `[k, n]` B while ``Precision/current``
  /// is what it is (one against an unpacked B runs in fp32).
  static func smallMPrecision(k: Int, n: Int) -> Precision {
    Precision.current == .bf16 && Precision.bf16.isAvailable && k * n >= bf16SmallMMinimumValues
      ? .bf16 : .fp32
  }

  /// The number of products against the same B storage after which the small-M kernel reads it
  /// packed.
  static let packingUses = 3

  /// `[k, n]` B, the whole of `storage`, packed in strips for the small-M kernel (as floats, or
  /// with `bf16` as pairs of bfloat16 values) from the ``packingUses``-th product on, and kept with
  /// the storage; `nil` before.
  private static func packedStrips(
    of storage: TensorStorage, b: UnsafePointer<Float>, k: Int, n: Int, ldb: Int, bf16: Bool
  ) -> TensorStorage? {
    precondition(
      b == UnsafePointer(storage.pointer) && ldb == n && storage.count == k * n, "B is not its storage")
    guard bf16 else {
      return storage.form(
        .skinnyStrips(k: k, n: n), count: ftw_skinny_packed_count(k, n), afterUses: packingUses
      ) {
        ftw_skinny_pack(b, k, n, ldb, $0)
      }
    }
    return storage.form(
      .skinnyStripsBF16(k: k, n: n), count: ftw_skinny_packed_count_bf16(k, n), afterUses: packingUses
    ) {
      ftw_skinny_pack_bf16(b, k, n, ldb, UnsafeMutableRawPointer($0).assumingMemoryBound(to: UInt32.self))
    }
  }
}
