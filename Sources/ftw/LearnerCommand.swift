#if Distributed
import ArgumentParser
import FTWAgent
import FTWReverb
import FTWReverbClient
import Foundation

/// `ftw learner`: trains an agent on what `ftw actor` processes send through a Reverb server.
struct LearnerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "learner",
    abstract: "Train an agent on the trajectories ftw actor processes send through a Reverb server.",
    discussion: """
      Samples the server's trajectories_0 queue, takes a learner step on each trajectory as ftw \
      train does, publishes the weights (with the run's configuration) to weights_0 every \
      --publish-seconds, and keeps the run folder as ftw train does (configuration.json, \
      metrics.csv, learning-curve.svg, checkpoints/). A run folder that already holds a run \
      continues from its newest checkpoint, with its saved configuration. Start the server first \
      (Scripts/reverb_server.py --port 8000 --checkpoint-dir DIR), then the learner, then any \
      number of actors, in any order; they find each other through the server. A population is \
      trained with ftw train for now. Build with --traits Distributed -c release.
      """)

  @Option(help: "The Reverb server, HOST:PORT.")
  var server: String

  @Option(help: "The run folder: a new run, or one to continue.")
  var runDir: String

  @Option(help: "Stop after this many minutes of this session.")
  var minutes: Double?

  @Option(help: "Stop once the run has trained on this many frames.")
  var frames: Int?

  @Option(help: "The least time between two publications of the weights, in seconds.")
  var publishSeconds: Double = 1

  @OptionGroup var options: TrainingOptions

  func run() throws {
    if let minutes, !(minutes > 0 && minutes <= 100_000) {
      throw fail("--minutes must be positive, got \(minutes)")
    }
    if let frames, frames <= 0 { throw fail("--frames must be positive, got \(frames)") }
    guard publishSeconds >= 0, publishSeconds <= 3600 else {
      throw fail("--publish-seconds must be in 0...3600, got \(publishSeconds)")
    }
    guard options.population == nil else {
      throw fail("ftw learner trains one agent; train a population with ftw train --population")
    }
    guard options.actors == 1 else {
      throw fail("--actors counts ftw train's actor threads; start ftw actor processes instead")
    }
    let trainer: Trainer
    let client: ReverbClient
    do {
      let address = try ReverbAddress(server)
      trainer = try makeTrainer()
      client = try runBlocking { try await ReverbClient.connect(to: address) }
      let tables = try runBlocking { try await client.serverInfo() }.map(\.name)
      guard tables.contains("trajectories_0"), tables.contains("weights_0") else {
        throw TrainingError(
          "the server at \(address) has no trajectories_0 and weights_0 tables: start it with Scripts/reverb_server.py"
        )
      }
    } catch {
      throw fail("\(error)")
    }
    defer { client.close() }
    let configuration = trainer.configuration
    print(
      "run \(trainer.run.url.path): \(configuration.network) network, T \(configuration.unrollLength), "
        + "B \(configuration.batchSize), learning from the actors of \(client.address)"
        + (trainer.frames > 0 ? ", resumed at \(trainer.frames) frames" : ""))
    let source = ReverbExperienceSource(
      client: client, configuration: configuration,
      stateLike: trainer.agent.network.initialState(batchSize: configuration.batchSize),
      publishInterval: publishSeconds,
      log: { FileHandle.standardError.write(Data("\nftw learner: \($0)\n".utf8)) })
    let (stop, interrupt) = stopOnInterrupt()
    defer { interrupt.cancel() }
    var lastPrint = Date.distantPast
    do {
      try trainer.train(budget: TrainingBudget(minutes: minutes, frames: frames), stop: stop, source: source)
      {
        progress in
        guard Date().timeIntervalSince(lastPrint) >= 0.5 else { return }
        lastPrint = Date()
        FileHandle.standardOutput.write(Data(Train.progressLine(progress).utf8))
      }
    } catch {
      throw fail("training stopped: \(error)")
    }
    print("\nsaved checkpoint at \(trainer.frames) frames in \(trainer.run.checkpoints.url.path)")
  }

  /// The trainer of the run folder: continued if it holds a run, else a new one.
  private func makeTrainer() throws -> Trainer {
    let url = URL(fileURLWithPath: runDir)
    if FileManager.default.fileExists(atPath: url.appendingPathComponent("configuration.json").path) {
      let (run, saved) = try RunFolder.open(at: url)
      return try Trainer(configuration: saved, run: run, resume: true)
    }
    let configuration = try options.agentConfiguration()
    let run = try RunFolder.create(at: url, configuration: configuration)
    return try Trainer(configuration: configuration, run: run, resume: false)
  }
}
#endif
