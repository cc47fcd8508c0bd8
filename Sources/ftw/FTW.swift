import ArgumentParser
import FTWAgent
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
    subcommands: [Train.self, Eval.self, Play.self, Ladder.self, Conformance.self, Bench.self, Info.self]
      + distributedCommands + webCommands
  )

  /// `ftw learner` and `ftw actor`, in a build with the `Distributed` trait.
  static var distributedCommands: [ParsableCommand.Type] {
    #if Distributed
    [LearnerCommand.self, ActorCommand.self]
    #else
    []
    #endif
  }

  /// `ftw serve`, in a build with the `Web` trait.
  static var webCommands: [ParsableCommand.Type] {
    #if Web
    [Serve.self]
    #else
    []
    #endif
  }

  static func main() {
    // A parent (Foundation's Process, for one) may start this process with Ctrl-C's signal
    // blocked, which would keep the stop handlers from hearing it; threads inherit the mask.
    var interrupt = sigset_t()
    sigemptyset(&interrupt)
    sigaddset(&interrupt, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
    main(nil)
  }
}

/// Exits with status 1 and a message on standard error.
func fail(_ message: String) -> ExitCode {
  FileHandle.standardError.write(Data("ftw: \(message)\n".utf8))
  return ExitCode(1)
}

/// Writes `line` on standard output at once, in order with the progress lines (which are written
/// unbuffered), where `print` would hold it in its buffer while the output is a file.
func printNow(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// A stop signal raised by Ctrl-C; a second Ctrl-C exits at once. Keep the returned source alive
/// (and cancel it) for as long as the signal should be watched.
func stopOnInterrupt(_ message: String = "stopping after this step and saving a checkpoint...")
  -> (StopSignal, DispatchSourceSignal)
{
  let stop = StopSignal()
  signal(SIGINT, SIG_IGN)
  let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
  interrupt.setEventHandler {
    if stop.isRaised {
      FileHandle.standardError.write(Data("\ninterrupted again: exiting now\n".utf8))
      exit(130)
    }
    FileHandle.standardError.write(Data("\n\(message) (Ctrl-C again to exit now)\n".utf8))
    stop.raise()
  }
  interrupt.resume()
  return (stop, interrupt)
}
