import CFTWKernels

/// The instruction sets the package's C kernels (convolutions, small-M products, the built-in
/// GEMM's tile) are built for; each kernel runs in the build for ``active``.
///
/// The AVX-512 build uses register tiles twice as wide as the AVX2 one (8x32 instead of 6x16 for a
/// convolution, and 8 rows by up to 64 columns for a small-M product with up to 16 rows).
/// `FTW_ISA=avx2` or `FTW_ISA=generic` in the environment lowers ``active``, to compare builds.
///
/// ```swift
/// print(KernelInstructionSet.active)      // avx512
/// print(KernelInstructionSet.available)   // [generic, avx2+fma, avx512]
/// ```
public enum KernelInstructionSet: Int, CaseIterable, Comparable, Sendable, CustomStringConvertible {
  /// The compiler's baseline for the target (SSE2 on x86-64, NEON on ARM64).
  case generic = 0
  /// AVX2 and FMA.
  case avx2 = 1
  /// AVX-512 (F and VL).
  case avx512 = 2

  /// The best instruction set this CPU has.
  public static let best = KernelInstructionSet(ftw_cpu_isa())

  /// The build the kernels run: ``best``, or lower when `FTW_ISA` asks for it.
  public static let active = KernelInstructionSet(ftw_kernel_isa())

  /// The builds this CPU can run, lowest first.
  public static var available: [KernelInstructionSet] { allCases.filter { $0 <= best } }

  init(_ isa: ftw_isa) { self = KernelInstructionSet(rawValue: Int(isa.rawValue)) ?? .generic }

  /// The value the C kernels take.
  var kernelValue: ftw_isa { ftw_isa(rawValue: UInt32(rawValue)) }

  public var description: String { String(cString: ftw_isa_name(kernelValue)) }

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
