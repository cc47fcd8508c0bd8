import ArgumentParser
import FTWConformance
import FTWTensor
import Foundation

/// The `ftw` command line.
@main
struct FTW: ParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "ftw",
    abstract:
      "For The Win (FTW) agents in Swift: capture the flag, conformance, benchmarks and machine info.",
    version: version,
    subcommands: [Train.self, Eval.self, Play.self, Conformance.self, Bench.self, Info.self]
  )

  static func main() {
    // While the process has one thread (setenv is not safe alongside readers): unless the caller
    // chose otherwise, OpenBLAS's idle workers sleep soon after a product instead of spinning on
    // `sched_yield`, where they would take turns on the cores with the package's own kernel
    // threads (docs/PERFORMANCE.md has the measurements).
    setenv("OPENBLAS_THREAD_TIMEOUT", "4", 0)
    main(nil)
  }
}

/// Exits with status 1 and a message on standard error.
func fail(_ message: String) -> ExitCode {
  FileHandle.standardError.write(Data("ftw: \(message)\n".utf8))
  return ExitCode(1)
}
