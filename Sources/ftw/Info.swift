import ArgumentParser
import FTWTensor
import Foundation

/// `ftw info`: the version and the compute backend in use.
struct Info: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the version, the GEMM backend in use and its thread count.")

  func run() {
    let active = GemmBackend.active
    print("ftw \(FTW.version)")
    print("gemm backend: \(active)")
    print("gemm threads: \(active.threadCount)")
    if let blas = OpenBLAS.shared {
      print("openblas: \(blas.libraryName), \(blas.configuration)")
    } else {
      print("openblas: not found (tried \(OpenBLAS.libraryNames.joined(separator: ", ")))")
    }
    print("built-in gemm: \(GemmBackend.builtin), \(GemmBackend.builtin.threadCount) threads")
    print(
      "kernels: \(KernelInstructionSet.active) (this CPU: \(KernelInstructionSet.best); FTW_ISA lowers it)")
    print("processors: \(ProcessInfo.processInfo.activeProcessorCount)")
  }
}
