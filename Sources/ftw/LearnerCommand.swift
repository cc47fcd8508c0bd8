#if Distributed
import ArgumentParser
import FTWAgent
import FTWReverb
import FTWReverbClient
import Foundation

/// `ftw learner`: trains an agent (or a population) on what `ftw actor` processes send through a
/// Reverb server.
struct LearnerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "learner",
    abstract: "Train an agent on the trajectories ftw actor processes send through a Reverb server.",
    discussion: """
      Samples the server's trajectories_0 queue, takes a learner step on each trajectory as ftw \
      train does, publishes the weights (with the run's configuration) to weights_0 after every \
      step (or every --publish-seconds), and keeps the run folder as ftw train does (configuration.json, \
      metrics.csv, learning-curve.svg, checkpoints/). A run folder that already holds a run \
      continues from its newest checkpoint, with its saved configuration. Start the server first \
      (Scripts/reverb_server.py --port 8000 --checkpoint-dir DIR), then the learner, then any \
      number of actors, in any order; they find each other through the server. With \
      --population N (and a server started with --agents N) it trains a population as ftw train \
      does, each member on its own queue and weights table, and publishes the ratings the \
      actors' matchmaking draws games by. Build with --traits Distributed -c release.
      """)

  @Option(help: "The Reverb server, HOST:PORT.")
  var server: String

  @Option(help: "The run folder: a new run, or one to continue.")
  var runDir: String

  @Option(help: "Stop after this many minutes of this session.")
  var minutes: Double?

  @Option(help: "Stop once the run has trained on this many frames.")
  var frames: Int?

  @Option(
    help:
      "The least time between two publications of the weights, in seconds (0: after every learner step, which keeps the actors' policy lag smallest)."
  )
  var publishSeconds: Double = 0

  @OptionGroup var options: TrainingOptions

  func run() throws {
    if let minutes, !(minutes > 0 && minutes <= 100_000) {
      throw fail("--minutes must be positive, got \(minutes)")
    }
    if let frames, frames <= 0 { throw fail("--frames must be positive, got \(frames)") }
    guard publishSeconds >= 0, publishSeconds <= 3600 else {
      throw fail("--publish-seconds must be in 0...3600, got \(publishSeconds)")
    }
    guard options.actors == 1 else {
      throw fail("--actors counts ftw train's actor threads; start ftw actor processes instead")
    }
    let url = URL(fileURLWithPath: runDir)
    let client = try connectToServer(server)
    defer { client.close() }
    if options.population != nil || PopulationRun.isPopulation(at: url) {
      try learnPopulation(url: url, client: client)
    } else {
      try learnAgent(url: url, client: client)
    }
  }

  private var budget: TrainingBudget { TrainingBudget(minutes: minutes, frames: frames) }

  /// Throws unless the server has the queues and weights tables of `members` members.
  private func checkTables(of client: ReverbClient, members: Int) throws {
    let tables = Set(try runBlocking { try await client.serverInfo() }.map(\.name))
    let missing = ReverbTables.required(members: members).filter { !tables.contains($0) }
    guard missing.isEmpty else {
      throw TrainingError(
        "the server at \(client.address) has no \(missing.joined(separator: ", ")) table: start it with "
          + "Scripts/reverb_server.py --agents \(members)")
    }
  }

  private func learnAgent(url: URL, client: ReverbClient) throws {
    let trainer: Trainer
    do {
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("configuration.json").path) {
        let (run, saved) = try RunFolder.open(at: url)
        trainer = try Trainer(configuration: saved, run: run, resume: true)
      } else {
        let configuration = try options.agentConfiguration()
        trainer = try Trainer(
          configuration: configuration, run: try RunFolder.create(at: url, configuration: configuration),
          resume: false)
      }
      try checkTables(of: client, members: 1)
    } catch {
      throw fail("\(error)")
    }
    let configuration = trainer.configuration
    let header =
      "run \(trainer.run.url.path): \(configuration.network.preset.rawValue) network, "
      + "T \(configuration.learning.unrollLength), "
      + "B \(configuration.batchSize), learning from the actors of \(client.address)"
      + (trainer.frames > 0 ? ", resumed at \(trainer.frames) frames" : "")
    let source = ReverbExperienceSource(
      client: client, configuration: configuration,
      stateLike: trainer.agent.network.initialState(batchSize: configuration.batchSize),
      publishInterval: publishSeconds, log: Self.log)
    try runTraining(trainer, header: header, budget: budget, source: source)
    Self.printCounts(of: source)
  }

  private func learnPopulation(url: URL, client: ReverbClient) throws {
    let trainer: PopulationTrainer
    do {
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("configuration.json").path) {
        let (run, saved, population) = try PopulationRun.open(at: url)
        trainer = try PopulationTrainer(configuration: saved, population: population, run: run, resume: true)
      } else {
        let (configuration, population) = try options.populationConfigurations()
        let run = try PopulationRun.create(at: url, configuration: configuration, population: population)
        trainer = try PopulationTrainer(
          configuration: configuration, population: population, run: run, resume: false)
      }
      try checkTables(of: client, members: trainer.population.size)
    } catch {
      throw fail("\(error)")
    }
    let (configuration, population) = (trainer.configuration, trainer.population)
    let header =
      "run \(trainer.run.url.path): population of \(population.size) \(configuration.network) agents, "
      + "evolving after \(population.minimumFrames) frames, learning from the actors of \(client.address)"
      + (trainer.state.frames > 0 ? ", resumed at \(trainer.state.frames) frames" : "")
    let source = ReverbExperienceSource(
      client: client, configuration: configuration, population: population,
      stateLike: trainer.members[0].agent.network.initialState(batchSize: configuration.batchSize),
      publishInterval: publishSeconds, log: Self.log)
    try runTraining(trainer, header: header, budget: budget, source: source)
    Self.printCounts(of: source)
  }

  /// Prints what the learner took from the server: every item sampled, the malformed ones too.
  private static func printCounts(of source: ReverbExperienceSource) {
    print(
      "sampled \(source.sampledItems) trajectories from \(source.client.address) "
        + "(\(source.skippedItems) of them skipped as malformed)")
  }

  /// Writes a retry or a wait of the learner's source on standard error.
  @Sendable private static func log(_ message: String) {
    FileHandle.standardError.write(Data("\nftw learner: \(message)\n".utf8))
  }
}
#endif
