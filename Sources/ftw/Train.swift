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
    let trainer: Trainer
    do {
      trainer = try makeTrainer()
    } catch {
      throw fail("\(error)")
    }
    let configuration = trainer.configuration
    let header =
      "run \(trainer.run.url.path): \(configuration.network) network, \(configuration.policy.rawValue) policy, "
      + "\(configuration.teamSize) vs \(configuration.teamSize) against \(configuration.opponent.rawValue) on "
      + "\(configuration.arena) arenas, T \(configuration.unrollLength), B \(configuration.batchSize), "
      + "\(configuration.deterministic ? "lock step" : "\(configuration.actors) actor thread(s)")"
      + (resume == nil ? "" : ", resumed at \(trainer.frames) frames")
    var lastPrint = Date.distantPast
    try runTraining(trainer, header: header, budget: TrainingBudget(minutes: minutes, frames: frames)) {
      Self.report($0, lastPrint: &lastPrint)
    }
  }

  private func trainPopulation() throws {
    let trainer: PopulationTrainer
    do {
      trainer = try makePopulationTrainer()
    } catch {
      throw fail("\(error)")
    }
    let (configuration, population) = (trainer.configuration, trainer.population)
    let header =
      "run \(trainer.run.url.path): population of \(population.size) \(configuration.network) agents, "
      + "\(configuration.teamSize) vs \(configuration.teamSize) on \(configuration.arena) arenas, "
      + "\(configuration.gamesPerActor) games per actor, evolving after \(population.minimumFrames) frames, "
      + "\(configuration.deterministic ? "lock step" : "\(configuration.actors) actor thread(s)")"
      + (resume == nil ? "" : ", resumed at \(trainer.state.frames) frames")
    var lastPrint = Date.distantPast
    try runTraining(trainer, header: header, budget: TrainingBudget(minutes: minutes, frames: frames)) {
      Self.report($0, lastPrint: &lastPrint)
    }
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

  /// The line that reports a single agent's progress (starting with a carriage return).
  static func progressLine(_ progress: TrainingProgress) -> String {
    let m = progress.metrics
    return String(
      format:
        "\r%6.0f fps | %9d frames | %6d games | win %3.0f%% | captures %.2f vs %.2f | pick-ups %.2f | loss %.3f (pg %.3f, v %.3f, ent %.3f, kl %.3f) | %@",
      progress.framesPerSecond, progress.frames, progress.games, 100 * progress.winRate,
      progress.captures,
      progress.opponentCaptures, progress.pickups, m.loss, m.policyGradientLoss, m.criticLoss,
      m.entropyLoss,
      m.klPriorFixedLoss + m.klPriorPosteriorLoss, clock(progress.wallSeconds))
  }

  /// Writes a single agent's progress line at most twice a second.
  static func report(_ progress: TrainingProgress, lastPrint: inout Date) {
    guard Date().timeIntervalSince(lastPrint) >= 0.5 else { return }
    lastPrint = Date()
    FileHandle.standardOutput.write(Data(progressLine(progress).utf8))
  }

  /// Writes a population's evolution at once and its progress line at most twice a second.
  static func report(_ progress: PopulationProgress, lastPrint: inout Date) {
    if let event = progress.evolution {
      // Written straight away, in order with the progress line (print is buffered into a file).
      let line = String(
        format:
          "\nmember %d (%.0f) copies member %d (%.0f, wins with p %.2f): generation %d, learning rate %.2e, period %d\n",
        event.member, event.memberRating, event.donor, event.donorRating, event.donorWinProbability,
        event.generation, event.after.learningRate, event.after.slowCorePeriod)
      FileHandle.standardOutput.write(Data(line.utf8))
    }
    guard Date().timeIntervalSince(lastPrint) >= 0.5 else { return }
    lastPrint = Date()
    let ratings = progress.ratings
    let best = ratings.indices.max { ratings[$0] < ratings[$1] } ?? 0
    let line = String(
      format:
        "\r%6.0f fps | %9d frames | %6d games | evolutions %d | best %.0f (member %d) | spread %.0f | ratings %@ | %@",
      progress.framesPerSecond, progress.frames, progress.games, progress.evolutions, ratings[best], best,
      (ratings.max() ?? 0) - (ratings.min() ?? 0),
      ratings.map { String(format: "%.0f", $0) }.joined(separator: " "),
      clock(progress.wallSeconds))
    FileHandle.standardOutput.write(Data(line.utf8))
  }

  static func clock(_ seconds: Double) -> String {
    let whole = Int(seconds)
    return String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
  }
}
