import ArgumentParser
import FTWTensor
import Foundation

/// `ftw info`: the version and the compute backend in use.
struct Info: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the version, the GEMM backend in use and its thread count.")

  func run() {
    print("ftw \(FTW.version)")
    print("gemm: \(Gemm.blockedKernel()), \(Gemm.threadCount) threads")
    print(
      "kernels: \(KernelInstructionSet.active) (this CPU: \(KernelInstructionSet.best); FTW_ISA lowers it)")
    print("processors: \(ProcessInfo.processInfo.activeProcessorCount)")
  }
}
