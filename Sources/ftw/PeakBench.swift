import ArgumentParser
import FTWTensor
import Foundation

/// `ftw bench peak`: the arithmetic rate of each core, alone and all at once.
struct PeakBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "peak",
    abstract: "GFLOP/s of this CPU's fp32 FMAs (and bfloat16 dot products, where it has them) on each core.",
    discussion: """
      A register-only loop of twelve independent multiply-add chains per thread, no memory access: \
      the limit no kernel passes. fp32 is measured in each build of the kernels this CPU runs \
      (avx512, avx2+fma, generic), bf16 with AVX512_BF16's vdpbf16ps. Per build: one thread alone, \
      then one thread per worker of the kernels' pool (FTW_NUM_THREADS, else every processor) at \
      once, each the median of the rounds. The all-cores figure is what a learner step is \
      measured against (ftw bench ftw's floor).
      """)

  @Option(help: "Seconds each thread runs per round.")
  var seconds: Double = 0.2

  @Option(help: "Rounds; each figure is their median.")
  var rounds: Int = 3

  @Flag(help: "Print one JSON line instead of a table.")
  var json = false

  func run() throws {
    guard (0.001...10).contains(seconds) else {
      throw fail("--seconds must be in 0.001...10, got \(seconds)")
    }
    guard (1...100).contains(rounds) else { throw fail("--rounds must be in 1...100, got \(rounds)") }
    let threads = Gemm.threadCount
    var rows: [[String: Any]] = []
    if !json { print("\(CPUDescription.current), \(threads) threads") }
    for (precision, isa) in Self.builds {
      let alone = median((0..<rounds).map { _ in PeakRate.measure(precision, on: isa, seconds: seconds) })
      let together = (0..<rounds).map { _ in
        PeakRate.measureConcurrently(precision, on: isa, threads: threads, seconds: seconds)
      }
      let perThread = (0..<threads).map { t in median(together.map { $0[t] }) }
      let total = median(together.map { $0.reduce(0, +) })
      rows.append([
        "precision": precision.rawValue, "isa": isa.description, "one_thread_gflops": alone,
        "per_thread_gflops": perThread, "all_threads_gflops": total, "threads": threads,
      ])
      if !json {
        let cores = perThread.map { String(format: "%.1f", $0) }.joined(separator: " ")
        let name = "\(precision) (\(isa))".padding(toLength: 18, withPad: " ", startingAt: 0)
        print(
          String(
            format: "%@ one thread %7.1f   each at once %@   all %7.1f GFLOP/s", name, alone, cores, total))
      }
    }
    if json {
      let data = try JSONSerialization.data(
        withJSONObject: ["bench": "peak", "cpu": CPUDescription.current.description, "results": rows],
        options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    }
  }

  /// fp32 in every build this CPU runs, best first, then bf16 where it exists.
  static var builds: [(Precision, KernelInstructionSet)] {
    let fp32 = KernelInstructionSet.available.reversed().map { (Precision.fp32, $0) }
    return fp32 + (Precision.bf16.isAvailable ? [(.bf16, KernelInstructionSet.active)] : [])
  }

  /// The all-threads fp32 rate of the active build, as `ftw bench ftw` uses it for the floor.
  static func allThreadsFP32(seconds: Double = 0.2, rounds: Int = 3) -> Double {
    median(
      (0..<rounds).map { _ in
        PeakRate.measureConcurrently(.fp32, threads: Gemm.threadCount, seconds: seconds).reduce(0, +)
      })
  }
}

/// The CPU's name and identity as Linux reports them (`/proc/cpuinfo`).
struct CPUDescription: CustomStringConvertible {
  var model = "unknown CPU"
  var family: String?
  var modelNumber: String?

  static let current: CPUDescription = {
    var cpu = CPUDescription()
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return cpu }
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard parts.count == 2 else {
        if cpu.family != nil { break }
        continue
      }
      switch parts[0] {
      case "model name": cpu.model = parts[1]
      case "cpu family": cpu.family = parts[1]
      case "model": cpu.modelNumber = parts[1]
      default: break
      }
    }
    return cpu
  }()

  var description: String {
    guard let family, let modelNumber else { return model }
    return "\(model) (family \(family), model \(modelNumber))"
  }
}
