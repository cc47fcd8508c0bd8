import CFTWKernels
import Dispatch
import Foundation
import Synchronization

/// The arithmetic rate of this CPU's cores, measured with register-only loops of independent
/// multiply-adds (`ftw_peak_run`): the limit no kernel can pass, against which kernels are judged.
///
/// ```swift
/// let perCore = PeakRate.measureConcurrently(.fp32, threads: 2)   // e.g. [116.9, 116.2] GFLOP/s
/// let floor = 18.4 / perCore.reduce(0, +)                          // seconds for 18.4 GFLOP
/// ```
public enum PeakRate {
  /// GFLOP/s of one thread running `precision`'s arithmetic in the build for `isa` for about
  /// `seconds`, or 0 when this CPU cannot run it.
  public static func measure(
    _ precision: Precision, on isa: KernelInstructionSet = .active, seconds: Double = 0.2
  ) -> Double {
    guard ftw_peak_available(precision.peakKind, isa.kernelValue) != 0 else { return 0 }
    // A first short run sets the number of rounds that takes about `seconds`.
    var rounds = 1000
    while true {
      let (flops, elapsed) = timed(precision, isa: isa, rounds: rounds)
      if elapsed >= seconds / 4 || rounds >= 1 << 40 {
        let target = Int(Double(rounds) * seconds / Swift.max(elapsed, 1e-9))
        guard target > rounds else { return flops / elapsed / 1e9 }
        let (more, time) = timed(precision, isa: isa, rounds: target)
        return more / time / 1e9
      }
      rounds *= 8
    }
  }

  /// GFLOP/s of each of `threads` threads running `precision`'s arithmetic at once (each measured
  /// as ``measure(_:on:seconds:)`` does, after all have started).
  public static func measureConcurrently(
    _ precision: Precision, on isa: KernelInstructionSet = .active, threads: Int, seconds: Double = 0.2
  ) -> [Double] {
    let results = Mutex([Double](repeating: 0, count: threads))
    let started = Atomic<Int>(0)
    let group = DispatchGroup()
    for index in 0..<threads {
      group.enter()
      let thread = Thread {
        started.add(1, ordering: .sequentiallyConsistent)
        while started.load(ordering: .sequentiallyConsistent) < threads { ftw_cpu_relax() }
        let rate = measure(precision, on: isa, seconds: seconds)
        results.withLock { $0[index] = rate }
        group.leave()
      }
      thread.start()
    }
    group.wait()
    return results.withLock { $0 }
  }

  private static func timed(_ precision: Precision, isa: KernelInstructionSet, rounds: Int) -> (
    Double, Double
  ) {
    let start = DispatchTime.now().uptimeNanoseconds
    let flops = ftw_peak_run(precision.peakKind, isa.kernelValue, rounds)
    return (flops, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }
}
