import CFTWKernels
import Foundation

/// The number format the large products of a learner step (the convolutions and the linear
/// products of many rows) multiply in. Both accumulate in single precision; master weights, the
/// optimiser and every reduction stay in `fp32`.
///
/// `bf16` rounds both operands of each product to bfloat16 (8 significant bits), which CPUs with
/// AVX512_BF16 multiply in pairs (`vdpbf16ps`). Whether that is faster depends on the CPU: on AMD
/// Zen 4 a bfloat16 dot product instruction does twice the work of an FMA per cycle, on an Intel
/// Xeon of family 6, model 207, half. ``fastest`` measures it.
///
/// ```swift
/// let precision = Precision.fastest   // .bf16 on AMD Zen 4, .fp32 where bf16 is slower
/// let loss = Precision.$current.withValue(precision) { learnerStep() }
/// ```
public enum Precision: String, CaseIterable, Sendable, CustomStringConvertible {
  /// Single precision: the products conformance is checked on.
  case fp32
  /// bfloat16 operands, single-precision sums.
  case bf16

  /// Whether this CPU can run the package's kernels in this precision: `bf16` needs AVX-512 with
  /// AVX512_BF16, and kernels not lowered below AVX-512 (`FTW_ISA`).
  public var isAvailable: Bool {
    ftw_peak_available(peakKind, KernelInstructionSet.active.kernelValue) != 0
  }

  /// How many times as fast as fp32 FMAs a precision's arithmetic must measure to be chosen by
  /// ``fastest``: a bfloat16 product also pays for rounding its operands, so a small edge in the
  /// arithmetic alone is not a win. (The CPUs measured so far are far from it on either side: 2x
  /// on AMD Zen 4, 0.5x on an Intel Xeon of family 6, model 207.)
  public static let requiredSpeedup = 1.5

  /// How many times as fast as this CPU's fp32 FMAs its bfloat16 dot products run on one core (a
  /// probe of a few milliseconds, run once per process), or `nil` where it has none.
  public static let bf16Speedup: Double? = {
    guard Precision.bf16.isAvailable else { return nil }
    let isa = KernelInstructionSet.active
    let rates = (0..<3).map { _ in
      (
        PeakRate.measure(.fp32, on: isa, seconds: 0.002), PeakRate.measure(.bf16, on: isa, seconds: 0.002)
      )
    }
    let (fp32, bf16) = (rates.map(\.0).max() ?? 0, rates.map(\.1).max() ?? 0)
    return fp32 > 0 ? bf16 / fp32 : nil
  }()

  /// `bf16` when this CPU has it and ``bf16Speedup`` is at least ``requiredSpeedup``, else
  /// `fp32`.
  public static var fastest: Precision { (bf16Speedup ?? 0) >= requiredSpeedup ? .bf16 : .fp32 }

  /// Why ``fastest`` is what it is, in a sentence: `bf16 dot products run 2.0x as fast as fp32
  /// FMAs on this CPU`.
  public static var fastestReason: String {
    guard let speedup = bf16Speedup else {
      return ftw_cpu_has_bf16() == 0
        ? "this CPU has no AVX512_BF16" : "FTW_ISA keeps the kernels below AVX-512"
    }
    let ratio = String(format: "%.1fx", speedup)
    return "bf16 dot products run \(ratio) as fast as fp32 FMAs on this CPU (bf16 needs \(requiredSpeedup)x)"
  }

  /// The precision named by `FTW_PRECISION` (`fp32`, `bf16`, or `auto` for ``fastest``), else
  /// `fp32`. A value it does not know, or `bf16` where this CPU lacks it, is `fp32`, with a
  /// warning on standard error.
  public static let environmentDefault: Precision = {
    guard let text = ProcessInfo.processInfo.environment["FTW_PRECISION"] else { return .fp32 }
    guard let choice = Choice(rawValue: text) else {
      warn("FTW_PRECISION must be fp32, bf16 or auto, got '\(text)'; using fp32")
      return .fp32
    }
    guard let precision = choice.resolved else {
      warn("FTW_PRECISION=bf16 does not run here (\(fastestReason)); using fp32")
      return .fp32
    }
    return precision
  }()

  private static func warn(_ message: String) {
    FileHandle.standardError.write(Data("ftw: \(message)\n".utf8))
  }

  /// The precision the products of this task (or thread) run in: ``environmentDefault`` unless a
  /// caller chose otherwise with `Precision.$current.withValue(_:operation:)`.
  @TaskLocal public static var current: Precision = environmentDefault

  /// The fewest multiply-adds of a product that runs in bfloat16 while ``current`` is `bf16`: the
  /// large products of a learner step (the torso's convolutions and linear layer, and their
  /// gradients; the recurrent weights' gradients over an unroll), not an acting step's or one step
  /// of a recurrent core.
  public static let bf16MinimumMultiplyAdds = 1 << 24

  /// The precision a product of `multiplyAdds` runs in while ``current`` is `precision`: `bf16`
  /// for a large product where it runs on this CPU, else `fp32`.
  public static func forProduct(multiplyAdds: Int, in precision: Precision = current) -> Precision {
    precision == .bf16 && bf16.isAvailable && multiplyAdds >= bf16MinimumMultiplyAdds ? .bf16 : .fp32
  }

  /// What a training run asks for: a precision, or `auto` for the ``fastest`` on the CPU at hand.
  public enum Choice: String, Codable, CaseIterable, Sendable {
    /// ``Precision/fastest``, decided on the machine that runs.
    case auto
    /// bfloat16, where the CPU has it.
    case bf16
    /// Single precision.
    case fp32

    /// The precision this choice runs in on this CPU, or `nil` for `bf16` where it does not run.
    public var resolved: Precision? {
      switch self {
      case .auto: return Precision.fastest
      case .fp32: return .fp32
      case .bf16: return Precision.bf16.isAvailable ? .bf16 : nil
      }
    }
  }

  var peakKind: ftw_peak_kind { self == .fp32 ? FTW_PEAK_FP32 : FTW_PEAK_BF16 }

  public var description: String { rawValue }
}
