import CFTWKernels
import Foundation

/// Where matrix products run.
public enum GemmBackend: String, Sendable, CaseIterable, CustomStringConvertible {
  /// OpenBLAS's `cblas_sgemm`, when the library is on the machine.
  case openBLAS = "openblas"
  /// The package's own blocked, vectorised GEMM.
  case builtin

  /// OpenBLAS when it loads, else the built-in GEMM; `FTW_GEMM=builtin` forces the built-in one.
  public static let active: GemmBackend = {
    if ProcessInfo.processInfo.environment["FTW_GEMM"] == GemmBackend.builtin.rawValue {
      return .builtin
    }
    return OpenBLAS.shared == nil ? .builtin : .openBLAS
  }()

  /// Whether this backend can run on this machine.
  public var isAvailable: Bool { self == .builtin || OpenBLAS.shared != nil }

  /// The number of threads one product runs on.
  public var threadCount: Int {
    switch self {
    case .openBLAS: return OpenBLAS.shared?.threadCount ?? 0
    case .builtin: return kernelThreadCount
    }
  }

  public var description: String {
    switch self {
    case .openBLAS:
      return "OpenBLAS (\(OpenBLAS.shared?.libraryName ?? "not found"))"
    case .builtin:
      return "built-in (\(String(cString: ftwMicrokernelISA())) kernel)"
    }
  }

  /// Row-major `C = alpha * op(A) * op(B) + beta * C` for an `m x k` op(A) and a `k x n` op(B).
  ///
  /// - Precondition: the backend is available.
  public func multiply(
    transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    // A few rows against a large matrix: the small-M kernel (faster than packing; measured with
    // `ftw bench gemm --shapes`).
    if !transposeA && m <= Int(transposeB ? FTW_SKINNY_MAX_M : FTW_SKINNY_MAX_M_NN) && n * k >= 4096 {
      return SkinnyGemm.multiply(
        transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
        c: c,
        ldc: ldc)
    }
    switch self {
    case .openBLAS:
      guard let blas = OpenBLAS.shared else { preconditionFailure("OpenBLAS is not available") }
      guard m > 0, n > 0 else { return }
      blas.multiply(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
        a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    case .builtin:
      BuiltinGemm.multiply(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
        a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, threads: kernelThreadCount)
    }
  }
}

/// Threads for the package's own kernels (the size of ``WorkerPool``): `FTW_NUM_THREADS` if set,
/// else the active processor count.
let kernelThreadCount: Int = {
  if let text = ProcessInfo.processInfo.environment["FTW_NUM_THREADS"], let count = Int(text), count > 0 {
    return count
  }
  return ProcessInfo.processInfo.activeProcessorCount
}()

/// Products with a few rows (an acting or recurrent step against a weight matrix), by a kernel that
/// streams the weights once instead of packing them; split by columns across cores when large.
enum SkinnyGemm {
  static func multiply(
    transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    guard m > 0, n > 0 else { return }
    let threads = m * n * k >= 1 << 20 ? Swift.min(kernelThreadCount, Swift.max(1, n / 64)) : 1
    WorkerPool.shared.run(parts: threads) { part in
      // Column ranges on multiples of 8, so every column goes through the vector loop alike.
      let blocks = (n + 7) / 8
      let (first, last) = (
        Swift.min(n, 8 * (blocks * part / threads)), Swift.min(n, 8 * (blocks * (part + 1) / threads))
      )
      guard last > first else { return }
      ftw_sgemm_skinny(
        transposeB ? 1 : 0, m, first, last, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
  }
}
