#if Distributed
import ArgumentParser
import FTWAgent
import FTWReverb
import FTWReverbClient
import Foundation

/// `ftw actor`: plays games for an `ftw learner` through a Reverb server.
struct ActorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "actor",
    abstract: "Play games for an ftw learner and send it the trajectories through a Reverb server.",
    discussion: """
      Waits until a learner has published its weights to the server's weights tables, takes the \
      run's configuration from them, then plays games and inserts every trajectory into its \
      member's queue (trajectories_i), loading the learner's newer weights as they come. A \
      single agent plays against the run's opponent; a population's games are drawn by the \
      ratings the learner publishes, as ftw train draws them. The queues' rate limiter holds \
      actors back when the learner falls behind. Start as many as the machines have cores for; \
      each needs its own --index. Build with --traits Distributed -c release.
      """)

  @Option(help: "The Reverb server, HOST:PORT.")
  var server: String

  @Option(
    help: "This actor's index, which seeds its games (give each actor its own; default: the process id).")
  var index: Int?

  @Option(help: "Stop after this many minutes.")
  var minutes: Double?

  func run() throws {
    if let minutes, !(minutes > 0 && minutes <= 100_000) {
      throw fail("--minutes must be positive, got \(minutes)")
    }
    let index = self.index ?? Int(getpid())
    guard (0...1_000_000_000).contains(index) else {
      throw fail("--index must be in 0...1000000000, got \(index)")
    }
    let client = try connectToServer(server)
    defer { client.close() }
    printNow("actor \(index) of the learner at \(client.address)")
    let loop = ReverbActorLoop(
      client: client, index: index,
      log: { FileHandle.standardError.write(Data("\nftw actor \(index): \($0)\n".utf8)) })
    let (stop, interrupt) = stopOnInterrupt("stopping after this trajectory...")
    defer { interrupt.cancel() }
    var lastPrint = Date.distantPast
    do {
      try loop.run(stop: stop, minutes: minutes) { progress in
        guard Date().timeIntervalSince(lastPrint) >= 0.5 else { return }
        lastPrint = Date()
        let line = String(
          format:
            "\r%6.0f fps | %7d trajectories (%d confirmed) | %6d games | win %3.0f%% | weights of step %d",
          progress.framesPerSecond, progress.inserted, progress.confirmed, progress.games,
          100 * progress.winRate, progress.weightsVersion)
        FileHandle.standardOutput.write(Data(line.utf8))
      }
    } catch {
      throw fail("\(error)")
    }
    print()
  }
}
#endif
