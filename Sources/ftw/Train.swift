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

  @Option(help: "The seed of arenas, bots, initialisation and sampling.")
  var seed: UInt64 = 1

  @Option(
    help:
      "Where to play: tiny, small, medium, large (generated each game), or \(Arena.layoutNames.joined(separator: ", "))."
  )
  var arena = TrainingConfiguration().arena

  @Option(help: "Players per team.")
  var teamSize = 2

  @Option(
    help:
      "The other team: \(OpponentKind.allCases.map(\.rawValue).joined(separator: ", ")) (default: random); for a population, the bots of its bot games."
  )
  var opponent: String?

  @Option(help: "Train a population of this many agents (2...32) that play each other and evolve.")
  var population: Int?

  @Option(
    help: "Population: frames a member trains on before it may copy a stronger one (default: 200000).")
  var evolutionFrames: Int?

  @Option(
    help:
      "Population: the share of games in which a member fills its whole team against --opponent's bots (0 for members only; default: 0.25)."
  )
  var botGames: Double?

  @Option(
    help:
      "Population: count the bot games in the ratings, the bots at this fixed rating (members start at 1000; default: bot games move no rating)."
  )
  var botRating: Double?

  @Option(
    help: ArgumentHelp(
      "Population: new members draw their values within this factor of the single agent's (and of --learning-rate and --entropy-cost), inside the paper's ranges; 'paper' draws from the whole ranges (default: 2).",
      valueName: "factor|paper"))
  var initialSpread: String?

  @Option(help: "The policy: decomposed (one categorical per action component) or flat (90 actions).")
  var policy = PolicyKind.decomposed.rawValue

  @Option(help: "The agent's view: topDown or firstPerson.")
  var view = ViewKind.topDown.rawValue

  @Option(help: "The network: ftw (the paper's sizes) or small (a quarter of the width, faster).")
  var network = "ftw"

  @Option(help: "Steps per trajectory (T).")
  var unrollLength = 20

  @Option(
    help:
      "Games each actor plays at once (the learner's batch is this times --team-size; default: 4, with a population twice its size)."
  )
  var gamesPerActor: Int?

  @Option(help: "Actor threads.")
  var actors = 1

  @Option(help: "Steps in a game (a multiple of --unroll-length).")
  var stepsPerGame = 1000

  @Option(help: "RMSProp's learning rate (default: 4e-4; a population draws its own around it).")
  var learningRate: Float?

  @Option(help: "The entropy bonus's cost (default: 0.003; a population draws its own around it).")
  var entropyCost: Float?

  @Option(help: "The pixel-control auxiliary loss's cost (0 turns it off).")
  var pixelControlCost: Float = TrainingConfiguration().pixelControlCost

  @Option(help: "The reward-prediction auxiliary loss's cost (0 turns it off).")
  var rewardPredictionCost: Float = TrainingConfiguration().rewardPredictionCost

  @Option(
    help: ArgumentHelp(
      "Internal reward weights to change, as event=weight pairs, comma-separated (events: \(GameEvent.names.joined(separator: ", "))).",
      valueName: "event=weight,..."))
  var internalRewards: String?

  @Option(help: "Minutes between checkpoints.")
  var checkpointMinutes: Double = 5

  func run() throws {
    if let minutes, !(minutes > 0 && minutes <= 100_000) {
      throw fail("--minutes must be positive, got \(minutes)")
    }
    if let frames, frames <= 0 { throw fail("--frames must be positive, got \(frames)") }
    let isPopulation =
      population != nil || resume.map { PopulationRun.isPopulation(at: URL(fileURLWithPath: $0)) } ?? false
    if isPopulation {
      try trainPopulation()
    } else {
      try trainAgent()
    }
  }

  /// A stop signal raised by Ctrl-C.
  private func stopOnInterrupt() -> (StopSignal, DispatchSourceSignal) {
    let stop = StopSignal()
    signal(SIGINT, SIG_IGN)
    let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    interrupt.setEventHandler {
      FileHandle.standardError.write(Data("\nstopping after this step and saving a checkpoint...\n".utf8))
      stop.raise()
    }
    interrupt.resume()
    return (stop, interrupt)
  }

  private func trainAgent() throws {
    let trainer: Trainer
    do {
      trainer = try makeTrainer()
    } catch {
      throw fail("\(error)")
    }
    for refusal in trainer.refusedCheckpoints { print("refused \(refusal); using an older checkpoint") }
    let configuration = trainer.configuration
    FileHandle.standardOutput.write(
      Data(
        ("run \(trainer.run.url.path): \(configuration.network) network, \(configuration.policy.rawValue) policy, "
          + "\(configuration.teamSize) vs \(configuration.teamSize) against \(configuration.opponent.rawValue) on "
          + "\(configuration.arena) arenas, T \(configuration.unrollLength), B \(configuration.batchSize), "
          + "\(configuration.deterministic ? "lock step" : "\(configuration.actors) actor thread(s)")"
          + (resume == nil ? "" : ", resumed at \(trainer.frames) frames") + "\n").utf8))
    let (stop, interrupt) = stopOnInterrupt()
    defer { interrupt.cancel() }
    var lastPrint = Date.distantPast
    do {
      try trainer.train(budget: TrainingBudget(minutes: minutes, frames: frames), stop: stop) { progress in
        guard Date().timeIntervalSince(lastPrint) >= 0.5 else { return }
        lastPrint = Date()
        let m = progress.metrics
        let line = String(
          format:
            "\r%6.0f fps | %9d frames | %6d games | win %3.0f%% | captures %.2f vs %.2f | pick-ups %.2f | loss %.3f (pg %.3f, v %.3f, ent %.3f, kl %.3f) | %@",
          progress.framesPerSecond, progress.frames, progress.games, 100 * progress.winRate,
          progress.captures,
          progress.opponentCaptures, progress.pickups, m.loss, m.policyGradientLoss, m.criticLoss,
          m.entropyLoss,
          m.klPriorFixedLoss + m.klPriorPosteriorLoss, Self.clock(progress.wallSeconds))
        FileHandle.standardOutput.write(Data(line.utf8))
      }
    } catch {
      throw fail("training stopped: \(error)")
    }
    print("\nsaved checkpoint at \(trainer.frames) frames in \(trainer.run.checkpoints.url.path)")
  }

  private func trainPopulation() throws {
    let trainer: PopulationTrainer
    do {
      trainer = try makePopulationTrainer()
    } catch {
      throw fail("\(error)")
    }
    for refusal in trainer.refusedCheckpoints { print("refused \(refusal); using an older checkpoint") }
    let (configuration, population) = (trainer.configuration, trainer.population)
    FileHandle.standardOutput.write(
      Data(
        ("run \(trainer.run.url.path): population of \(population.size) \(configuration.network) agents, "
          + "\(configuration.teamSize) vs \(configuration.teamSize) on \(configuration.arena) arenas, "
          + "\(configuration.gamesPerActor) games per actor, evolving after \(population.minimumFrames) frames, "
          + "\(configuration.deterministic ? "lock step" : "\(configuration.actors) actor thread(s)")"
          + (resume == nil ? "" : ", resumed at \(trainer.state.frames) frames") + "\n").utf8))
    let (stop, interrupt) = stopOnInterrupt()
    defer { interrupt.cancel() }
    var lastPrint = Date.distantPast
    do {
      try trainer.train(budget: TrainingBudget(minutes: minutes, frames: frames), stop: stop) { progress in
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
          Self.clock(progress.wallSeconds))
        FileHandle.standardOutput.write(Data(line.utf8))
      }
    } catch {
      throw fail("training stopped: \(error)")
    }
    print("\nsaved the population at \(trainer.state.frames) frames in \(trainer.run.url.path)")
  }

  private func makePopulationTrainer() throws -> PopulationTrainer {
    if let resume {
      let (run, saved, population) = try PopulationRun.open(at: URL(fileURLWithPath: resume))
      return try PopulationTrainer(configuration: saved, population: population, run: run, resume: true)
    }
    var population = PopulationConfiguration(size: self.population ?? 4)
    if let evolutionFrames { population.minimumFrames = evolutionFrames }
    if let botGames { population.botGames = botGames }
    if let botRating { population.botRating = botRating }
    if let initialSpread {
      if initialSpread == "paper" {
        population.initialSpread = nil
      } else if let factor = Float(initialSpread) {
        population.initialSpread = factor
      } else {
        throw TrainingError(
          "--initial-spread must be a factor in 1...1000 or 'paper', got '\(initialSpread)'")
      }
    }
    try population.validate()
    if population.initialSpread == nil, learningRate != nil || entropyCost != nil {
      throw TrainingError(
        "--learning-rate and --entropy-cost centre a population's draws; with --initial-spread paper there is no centre"
      )
    }
    var configuration = try makeConfiguration(games: gamesPerActor ?? 2 * population.size)
    if let learningRate { configuration.learningRate = learningRate }
    if let entropyCost { configuration.entropyCost = entropyCost }
    if let opponent {
      let bots = PopulationConfiguration.botOpponents
      guard let kind = OpponentKind(rawValue: opponent), bots.contains(kind) else {
        throw TrainingError(
          "--opponent for a population's bot games must be \(bots.map(\.rawValue).joined(separator: ", ")), got '\(opponent)'"
        )
      }
      configuration.opponent = kind
    }
    try configuration.validate()
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
    if evolutionFrames != nil || initialSpread != nil || botGames != nil || botRating != nil {
      throw TrainingError(
        "--evolution-frames, --initial-spread, --bot-games and --bot-rating need --population")
    }
    var configuration = try makeConfiguration(games: gamesPerActor ?? 4)
    let opponent = self.opponent ?? OpponentKind.random.rawValue
    guard let opponentKind = OpponentKind(rawValue: opponent) else {
      throw TrainingError(
        "--opponent must be \(OpponentKind.allCases.map(\.rawValue).joined(separator: ", ")), got '\(opponent)'"
      )
    }
    configuration.opponent = opponentKind
    if let learningRate { configuration.learningRate = learningRate }
    if let entropyCost { configuration.entropyCost = entropyCost }
    try configuration.validate()
    let folder = runDir ?? "runs/" + Self.timestamp()
    let run = try RunFolder.create(at: URL(fileURLWithPath: folder), configuration: configuration)
    return try Trainer(configuration: configuration, run: run, resume: false)
  }

  /// The configuration the options describe (for an agent or every member of a population).
  private func makeConfiguration(games: Int) throws -> TrainingConfiguration {
    var configuration = TrainingConfiguration()
    guard let policyKind = PolicyKind(rawValue: policy) else {
      throw TrainingError("--policy must be decomposed or flat, got '\(policy)'")
    }
    guard let sizes = NetworkSize(rawValue: network) else {
      throw TrainingError("--network must be ftw or small, got '\(network)'")
    }
    configuration.network = sizes.rawValue
    sizes.apply(to: &configuration)
    configuration.policy = policyKind
    configuration.arena = arena
    configuration.teamSize = teamSize
    configuration.view = view
    configuration.unrollLength = unrollLength
    configuration.gamesPerActor = games
    configuration.actors = actors
    configuration.stepsPerGame = stepsPerGame
    configuration.checkpointMinutes = checkpointMinutes
    if let internalRewards {
      for pair in internalRewards.split(separator: ",") {
        let parts = pair.split(separator: "=")
        guard parts.count == 2, let index = GameEvent.names.firstIndex(of: String(parts[0])),
          let weight = Float(parts[1])
        else {
          throw TrainingError(
            "--internal-rewards takes event=weight pairs with events among \(GameEvent.names.joined(separator: ", ")); got '\(pair)'"
          )
        }
        configuration.internalRewards[index] = weight
      }
    }
    configuration.pixelControlCost = pixelControlCost
    configuration.rewardPredictionCost = rewardPredictionCost
    configuration.seed = seed
    configuration.deterministic = deterministic
    try configuration.validate()
    return configuration
  }

  private static func timestamp() -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    return formatter.string(from: Date())
  }

  static func clock(_ seconds: Double) -> String {
    let whole = Int(seconds)
    return String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
  }
}

/// The network sizes `--network` names.
enum NetworkSize: String {
  case ftw, small

  func apply(to configuration: inout TrainingConfiguration) {
    switch self {
    case .ftw: break
    case .small:
      configuration.torsoChannels = [16, 32]
      configuration.torsoResidualChannels = [32]
      configuration.torsoHiddenSize = 128
      configuration.coreHiddenSize = 128
      configuration.latentSize = 64
      configuration.headHiddenSize = 128
    }
  }
}
