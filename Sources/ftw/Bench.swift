import ArgumentParser
import FTWTensor
import Foundation

/// `ftw bench`: throughput measurements (release build).
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure throughput. Build with -c release.",
    subcommands: [PeakBench.self, GemmBench.self, ConvBench.self, FtwBench.self, EnvBench.self])
}

/// Wall-clock milliseconds of each of `repetitions` calls of `body`, after `warmup` untimed ones;
/// `setup` runs, untimed, before every call (to give it fresh inputs).
func timeCalls(repetitions: Int, warmup: Int, setup: () -> Void = {}, body: () -> Void) -> [Double] {
  for _ in 0..<warmup {
    setup()
    body()
  }
  return (0..<repetitions).map { _ in
    setup()
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
  }
}

/// A copy of `tensor` in storage of its own: what kernels derived from the original's values
/// (packed filters, bfloat16 copies) is not derived for it yet.
func freshCopy(_ tensor: Tensor) -> Tensor { Tensor(shape: tensor.shape, scalars: tensor.scalars) }

/// The middle value of `values` (the upper of the two middle ones for an even count).
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// `ftw bench gemm`: GFLOP/s of square matrix products.
struct GemmBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gemm",
    abstract: "GFLOP/s of square single-precision matrix products, median over repetitions.")

  @Option(help: "Matrix sizes, comma-separated.")
  var sizes: String = "256,512,1024"

  @Option(
    help: ArgumentHelp(
      "Products to time instead of squares: MxNxK, comma-separated, each optionally with :tA and/or :tB.",
      valueName: "shapes"))
  var shapes: String?

  @Option(help: "Timed repetitions per size (after one warm-up).")
  var repetitions: Int = 20

  @Flag(help: "Print one JSON line instead of a table.")
  var json = false

  func run() throws {
    let products: [GemmShape]
    if let shapes {
      products = try shapes.split(separator: ",").map { try GemmShape(parsing: String($0)) }
    } else {
      let sizeList = sizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
      guard !sizeList.isEmpty, sizeList.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) <= 8192 }) else {
        throw fail("--sizes must be comma-separated integers in 1...8192, got '\(sizes)'")
      }
      products = sizeList.map { GemmShape(m: $0!, n: $0!, k: $0!) }
    }
    guard repetitions > 0 else { throw fail("--repetitions must be positive, got \(repetitions)") }
    var rows: [[String: Any]] = []
    for product in products {
      let gflops = Self.measure(product, repetitions: repetitions)
      let kernel = product.kernel
      rows.append(["shape": product.description, "kernel": kernel, "gflops": gflops])
      if !json {
        let name = product.description.padding(toLength: 22, withPad: " ", startingAt: 0)
        print(String(format: "%@ %8.1f GFLOP/s   %@", name, gflops, kernel))
      }
    }
    if json {
      let data = try JSONSerialization.data(
        withJSONObject: ["bench": "gemm", "results": rows], options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    }
  }

  /// Median GFLOP/s of one product as `matmul` runs it.
  static func measure(_ shape: GemmShape, repetitions: Int) -> Double {
    var generator = RandomGenerator(seed: 1)
    let a = Tensor(randomUniform: [shape.m * shape.k], generator: &generator)
    let b = Tensor(randomUniform: [shape.k * shape.n], generator: &generator)
    var c = [Float](repeating: 0, count: shape.m * shape.n)
    var milliseconds: [Double] = []
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in
          milliseconds = timeCalls(repetitions: repetitions, warmup: 1) {
            Gemm.multiply(
              transposeA: shape.transposeA, transposeB: shape.transposeB, m: shape.m, n: shape.n, k: shape.k,
              a: pa.baseAddress!, lda: shape.transposeA ? shape.m : shape.k, b: pb.baseAddress!,
              ldb: shape.transposeB ? shape.k : shape.n, c: pc.baseAddress!, ldc: shape.n)
          }
        }
      }
    }
    return 2 * Double(shape.m) * Double(shape.n) * Double(shape.k) / median(milliseconds) / 1e6
  }
}

/// One matrix product to time: `op(A) [m, k] · op(B) [k, n]`.
struct GemmShape: CustomStringConvertible {
  var m: Int
  var n: Int
  var k: Int
  var transposeA = false
  var transposeB = false

  init(m: Int, n: Int, k: Int) {
    (self.m, self.n, self.k) = (m, n, k)
  }

  /// `MxNxK`, then optionally `:tA` and `:tB`.
  init(parsing text: String) throws {
    let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
    let sizes = parts.first.map { $0.split(separator: "x").compactMap { Int($0) } } ?? []
    let flags = Set(parts.dropFirst().map(String.init))
    guard sizes.count == 3, sizes.allSatisfy({ (1...200_000).contains($0) }), sizes.reduce(1, *) <= 1 << 36,
      flags.isSubset(of: ["tA", "tB"])
    else {
      throw fail("--shapes takes MxNxK[:tA][:tB] with sizes in 1...200000, got '\(text)'")
    }
    self.init(m: sizes[0], n: sizes[1], k: sizes[2])
    transposeA = flags.contains("tA")
    transposeB = flags.contains("tB")
  }

  var description: String { "\(m)x\(n)x\(k)" + (transposeA ? ":tA" : "") + (transposeB ? ":tB" : "") }

  /// The kernel `Gemm.multiply` runs this product on, its build and its precision.
  var kernel: String {
    let isa = KernelInstructionSet.active
    if Gemm.runsOnSmallMKernel(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k) {
      return "small-M kernel (\(isa), fp32)"
    }
    let precision = Gemm.precision(
      of: Precision.current, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k)
    return "blocked GEMM (\(precision == .bf16 ? .avx512 : isa), \(Gemm.blockedKernel()), \(precision))"
  }
}
