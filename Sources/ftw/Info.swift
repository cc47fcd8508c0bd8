import ArgumentParser
import FTWTensor
import Foundation

/// `ftw info`: the version and the compute backend in use.
struct Info: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Print the version, the CPU and its caches, the GEMM's tile and blocks, the kernels' instruction set and the precision auto takes."
  )

  func run() {
    print("ftw \(FTW.version)")
    print("cpu: \(CPUDescription.current)")
    print("gemm: \(Gemm.blockedKernel()), \(Gemm.threadCount) threads")
    print(
      "kernels: \(KernelInstructionSet.active) (this CPU: \(KernelInstructionSet.best); FTW_ISA lowers it)")
    let caches = (1...3).map { "L\($0) \(CPUCaches.bytes(level: $0) >> 10) KiB" }
    print("caches: \(caches.joined(separator: ", "))")
    print("precision: --precision auto takes \(Precision.fastest) (\(Precision.fastestReason))")
    print("processors: \(ProcessInfo.processInfo.activeProcessorCount)")
  }
}
