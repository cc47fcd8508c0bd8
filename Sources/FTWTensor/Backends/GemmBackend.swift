import CFTWKernels
import Foundation

/// A library that computes general matrix products: OpenBLAS when it is on the machine, or the
/// package's own blocked GEMM.
///
/// A backend computes every product it is given; ``Gemm`` decides which products go to a backend
/// and which to the small-M kernel.
///
/// ```swift
/// print(GemmBackend.active)                      // OpenBLAS (libopenblas.so.0)
/// for backend in GemmBackend.available { print(backend.name, backend.threadCount) }
/// ```
public enum GemmBackend: Sendable, CustomStringConvertible {
  /// OpenBLAS's `cblas_sgemm`, from the library that loaded.
  case openBLAS(OpenBLAS)
  /// The package's own blocked, vectorised GEMM (`BuiltinGemm`).
  case builtin

  /// The names ``name`` takes, in the order of ``available``.
  public static let names = ["openblas", "builtin"]

  /// OpenBLAS when it loads, else the built-in GEMM; `FTW_GEMM=builtin` forces the built-in one.
  public static let active: GemmBackend = {
    if ProcessInfo.processInfo.environment["FTW_GEMM"] == "builtin" { return .builtin }
    return OpenBLAS.shared.map(GemmBackend.openBLAS) ?? .builtin
  }()

  /// The backends this machine can run: OpenBLAS when it loads, and the built-in GEMM.
  public static var available: [GemmBackend] {
    (OpenBLAS.shared.map { [.openBLAS($0)] } ?? []) + [.builtin]
  }

  /// The backend called `name` (one of ``names``), or `nil` when it is unknown or not on this
  /// machine.
  public init?(name: String) {
    guard let backend = Self.available.first(where: { $0.name == name }) else { return nil }
    self = backend
  }

  /// `openblas` or `builtin`.
  public var name: String {
    switch self {
    case .openBLAS: return "openblas"
    case .builtin: return "builtin"
    }
  }

  /// The number of threads one product runs on.
  public var threadCount: Int {
    switch self {
    case .openBLAS(let library): return library.threadCount
    case .builtin: return WorkerPool.shared.threadCount
    }
  }

  public var description: String {
    switch self {
    case .openBLAS(let library): return "OpenBLAS (\(library.libraryName))"
    case .builtin: return "built-in (\(String(cString: ftw_sgemm_microkernel_isa())) kernel)"
    }
  }

  /// Row-major `C = alpha * op(A) * op(B) + beta * C` for an `m x k` op(A) and a `k x n` op(B).
  public func multiply(
    transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    switch self {
    case .openBLAS(let library):
      guard m > 0, n > 0 else { return }
      library.multiply(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
        a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    case .builtin:
      BuiltinGemm.multiply(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
        a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }
  }
}
