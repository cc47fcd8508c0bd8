#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// OpenBLAS, loaded at run time with `dlopen` so that the package builds and runs without it.
///
/// ```swift
/// if let blas = OpenBLAS.shared { print(blas.threadCount) }
/// ```
public final class OpenBLAS: Sendable {
  private typealias SgemmFunction =
    @convention(c) (
      Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
      UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void
  private typealias ThreadCountFunction = @convention(c) () -> Int32
  private typealias ConfigFunction = @convention(c) () -> UnsafePointer<CChar>?

  /// The library names tried, in order.
  public static let libraryNames = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"]

  /// The library, or `nil` when none of ``libraryNames`` loads or it lacks `cblas_sgemm`.
  ///
  /// OpenBLAS reads its settings from the environment when it loads. With the package's own kernel
  /// threads also running, `OPENBLAS_THREAD_TIMEOUT=4` (its workers sleep soon after a product
  /// instead of spinning) is faster; the `ftw` command sets it at start-up unless it is set.
  public static let shared: OpenBLAS? = libraryNames.lazy.compactMap(OpenBLAS.init(name:)).first

  /// The file name that loaded.
  public let libraryName: String
  private let sgemm: SgemmFunction
  private let threadCountFunction: ThreadCountFunction?
  private let configFunction: ConfigFunction?

  private init?(name: String) {
    guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL),
      let symbol = dlsym(handle, "cblas_sgemm")
    else { return nil }
    libraryName = name
    sgemm = unsafeBitCast(symbol, to: SgemmFunction.self)
    threadCountFunction = dlsym(handle, "openblas_get_num_threads").map {
      unsafeBitCast($0, to: ThreadCountFunction.self)
    }
    configFunction = dlsym(handle, "openblas_get_config").map {
      unsafeBitCast($0, to: ConfigFunction.self)
    }
  }

  /// The number of threads OpenBLAS runs a product on.
  public var threadCount: Int { threadCountFunction.map { Int($0()) } ?? 1 }

  /// OpenBLAS's own description of its build (version, kernel, threading).
  public var configuration: String {
    configFunction.flatMap { $0() }.map { String(cString: $0) } ?? "unknown"
  }

  /// Row-major `C = alpha * op(A) * op(B) + beta * C` by `cblas_sgemm`.
  func multiply(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    let rowMajor: Int32 = 101
    let noTranspose: Int32 = 111
    let transpose: Int32 = 112
    sgemm(
      rowMajor, transposeA ? transpose : noTranspose, transposeB ? transpose : noTranspose,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }
}
