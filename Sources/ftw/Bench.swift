import ArgumentParser
import FTWTensor
import Foundation

/// `ftw bench`: throughput measurements (release build).
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure throughput. Build with -c release.",
    subcommands: [GemmBench.self])
}

/// `ftw bench gemm`: GFLOP/s of square matrix products.
struct GemmBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gemm",
    abstract: "GFLOP/s of square single-precision matrix products, median over repetitions.")

  @Option(help: "Matrix sizes, comma-separated.")
  var sizes: String = "256,512,1024"

  @Option(help: "Backend: 'active' (what the library uses), 'openblas', 'builtin' or 'all'.")
  var backend: String = "active"

  @Option(help: "Timed repetitions per size (after one warm-up).")
  var repetitions: Int = 20

  @Flag(help: "Print one JSON line instead of a table.")
  var json = false

  func run() throws {
    let sizeList = sizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !sizeList.isEmpty, sizeList.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) <= 8192 }) else {
      throw fail("--sizes must be comma-separated integers in 1...8192, got '\(sizes)'")
    }
    guard repetitions > 0 else { throw fail("--repetitions must be positive, got \(repetitions)") }
    let backends: [GemmBackend]
    switch backend {
    case "active": backends = [GemmBackend.active]
    case "all": backends = GemmBackend.allCases.filter(\.isAvailable)
    default:
      guard let chosen = GemmBackend(rawValue: backend) else {
        throw fail("--backend must be active, openblas, builtin or all, got '\(backend)'")
      }
      guard chosen.isAvailable else { throw fail("backend \(backend) is not available on this machine") }
      backends = [chosen]
    }
    var rows: [[String: Any]] = []
    for size in sizeList.compactMap({ $0 }) {
      for chosen in backends {
        let gflops = Self.measure(size: size, backend: chosen, repetitions: repetitions)
        rows.append([
          "size": size, "backend": chosen.rawValue, "threads": chosen.threadCount, "gflops": gflops,
        ])
        if !json {
          print(
            String(
              format: "%5d  %-9@ %2d threads  %8.1f GFLOP/s", size, chosen.rawValue, chosen.threadCount,
              gflops))
        }
      }
    }
    if json {
      let data = try JSONSerialization.data(
        withJSONObject: ["bench": "gemm", "results": rows], options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    }
  }

  /// Median GFLOP/s of `C = A·B` for `size x size` matrices.
  static func measure(size: Int, backend: GemmBackend, repetitions: Int) -> Double {
    var generator = RandomGenerator(seed: 1)
    let a = Tensor(randomUniform: [size, size], generator: &generator)
    let b = Tensor(randomUniform: [size, size], generator: &generator)
    var c = [Float](repeating: 0, count: size * size)
    var seconds: [Double] = []
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in
          for repetition in 0...repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            backend.multiply(
              m: size, n: size, k: size, a: pa.baseAddress!, lda: size, b: pb.baseAddress!, ldb: size,
              c: pc.baseAddress!, ldc: size)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if repetition > 0 { seconds.append(elapsed) }
          }
        }
      }
    }
    let median = seconds.sorted()[seconds.count / 2]
    return 2 * pow(Double(size), 3) / median / 1e9
  }
}
