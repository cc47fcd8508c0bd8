import ArgumentParser
import FTWAgent
import FTWEnvironments
import Foundation

/// `ftw train`: trains an FTW agent at capture the flag.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train an FTW agent to play capture the flag.",
    discussion: """
      Actor threads play games with the agent in every seat of one team and bots in the other, and \
      send trajectories to the learner (V-trace, RPTH's KL terms, RMSProp), which publishes new \
      weights after every step. The run folder keeps configuration.json, metrics.csv, \
      learning-curve.svg and checkpoints/ (every --checkpoint-minutes and on Ctrl-C). \
      With --population N, N agents with hyperparameters and internal rewards drawn around the \
      single agent's (--initial-spread) play each other (Elo matchmaking), each learning from its own seats, and \
      evolve (exploit and explore); the run folder then also keeps population.json, \
      population-state.json, evolutions.jsonl, ratings.csv, values.csv, ratings.svg, \
      evolved-values.svg and members/<i>/. Build with -c release.
      """)

  @Option(help: "The run folder (default: a new one under runs/).")
  var runDir: String?

  @Option(
    help: ArgumentHelp("Continue the run in this folder from its newest checkpoint.", valueName: "run-dir"))
  var resume: String?

  @Option(help: "Stop after this many minutes of this session.")
  var minutes: Double?

  @Option(help: "Stop once the run has trained on this many frames.")
  var frames: Int?

  @Flag(help: "Actors and learner in lock step: two runs from one seed are bit-identical (slower).")
  var deterministic = false

  @OptionGroup var options: TrainingOptions

  func run() throws {
    if let minutes, !(minutes > 0 && minutes <= 100_000) {
      throw fail("--minutes must be positive, got \(minutes)")
    }
    if let frames, frames <= 0 { throw fail("--frames must be positive, got \(frames)") }
    let isPopulation =
      options.population != nil
      || resume.map { PopulationRun.isPopulation(at: URL(fileURLWithPath: $0)) } ?? false
    if isPopulation {
      try trainPopulation()
    } else {
      try trainAgent()
    }
  }

  private func trainAgent() throws {
    try train(makeTrainer) { trainer in
      let (configuration, world) = (trainer.configuration, trainer.configuration.world)
      let network = configuration.network
      return
        "run \(trainer.run.url.path): \(network.preset.rawValue) network, \(network.policy.rawValue) "
        + "policy, \(world.teamSize) vs \(world.teamSize) against "
        + "\(world.opponent.rawValue) on \(world.arena) arenas, T \(configuration.learning.unrollLength), "
        + "B \(configuration.batchSize), \(threads(configuration))"
        + (resume == nil ? "" : ", resumed at \(trainer.frames) frames")
    }
  }

  private func trainPopulation() throws {
    try train(makePopulationTrainer) { trainer in
      let (configuration, population) = (trainer.configuration, trainer.population)
      let world = configuration.world
      return "run \(trainer.run.url.path): population of \(population.size) "
        + "\(configuration.network.preset.rawValue) agents, \(world.teamSize) vs \(world.teamSize) on "
        + "\(world.arena) arenas, \(configuration.acting.gamesPerActor) games per actor, evolving after "
        + "\(population.minimumFrames) frames, "
        + threads(configuration) + (resume == nil ? "" : ", resumed at \(trainer.state.frames) frames")
    }
  }

  /// Makes the session (its failure is the command's), then trains it, first printing `header`'s
  /// line about it.
  private func train<Session: TrainingSession>(
    _ make: () throws -> Session, header: (Session) -> String
  ) throws {
    let session: Session
    do {
      session = try make()
    } catch {
      throw fail("\(error)")
    }
    try runTraining(
      session, header: header(session), budget: TrainingBudget(minutes: minutes, frames: frames))
  }

  private func threads(_ configuration: TrainingConfiguration) -> String {
    configuration.run.deterministic ? "lock step" : "\(configuration.acting.actors) actor thread(s)"
  }

  private func makePopulationTrainer() throws -> PopulationTrainer {
    if let resume {
      let (run, saved, population) = try PopulationRun.open(at: URL(fileURLWithPath: resume))
      return try PopulationTrainer(configuration: saved, population: population, run: run, resume: true)
    }
    let (configuration, population) = try options.populationConfigurations(deterministic: deterministic)
    let folder = runDir ?? "runs/" + Self.timestamp()
    let run = try PopulationRun.create(
      at: URL(fileURLWithPath: folder), configuration: configuration, population: population)
    return try PopulationTrainer(
      configuration: configuration, population: population, run: run, resume: false)
  }

  private func makeTrainer() throws -> Trainer {
    if let resume {
      let (run, saved) = try RunFolder.open(at: URL(fileURLWithPath: resume))
      return try Trainer(configuration: saved, run: run, resume: true)
    }
    let configuration = try options.agentConfiguration(deterministic: deterministic)
    let folder = runDir ?? "runs/" + Self.timestamp()
    let run = try RunFolder.create(at: URL(fileURLWithPath: folder), configuration: configuration)
    return try Trainer(configuration: configuration, run: run, resume: false)
  }

  static func timestamp() -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    return formatter.string(from: Date())
  }

  static func clock(_ seconds: Double) -> String {
    let whole = Int(seconds)
    return String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
  }
}
