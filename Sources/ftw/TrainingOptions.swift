import ArgumentParser
import FTWAgent
import FTWEnvironments
import FTWTensor
import Foundation

/// The options that describe what an agent (or each member of a population) is and how it
/// learns: shared by `ftw train` and `ftw learner`.
struct TrainingOptions: ParsableArguments {
  @Option(help: "The seed of arenas, bots, initialisation and sampling.")
  var seed: UInt64 = 1

  @Option(
    help:
      "Where to play: tiny, small, medium, large (generated each game), or \(Arena.layoutNames.joined(separator: ", "))."
  )
  var arena = TrainingConfiguration().world.arena

  @Option(help: "Players per team.")
  var teamSize = 2

  @Option(
    help:
      "The other team: \(OpponentKind.allCases.map(\.rawValue).joined(separator: ", ")) (default: league); for a population, the bots of its bot games."
  )
  var opponent: String?

  @Option(
    help: ArgumentHelp(
      "Against the league (the default opponent): how games are shared among the league's bots and snapshots (a population's: its bots): even (most against those the agent beats about half the time) or curriculum (up the ladder as it beats each rung); default: even.",
      valueName: "even|curriculum"))
  var league: String?

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

  @Option(
    help:
      "Frames over which the learning rate falls linearly to 0 (a population's frames in total); 0 keeps it constant."
  )
  var learningRateDecayFrames = 0

  @Option(help: "The entropy bonus's cost (default: 0.003; a population draws its own around it).")
  var entropyCost: Float?

  @Option(help: "The pixel-control auxiliary loss's cost (0 turns it off).")
  var pixelControlCost: Float = TrainingConfiguration().auxiliary.pixelControlCost

  @Option(help: "The reward-prediction auxiliary loss's cost (0 turns it off).")
  var rewardPredictionCost: Float = TrainingConfiguration().auxiliary.rewardPredictionCost

  @Option(
    help: ArgumentHelp(
      "Internal reward weights to change, as event=weight pairs, comma-separated (events: \(GameEvent.names.joined(separator: ", "))).",
      valueName: "event=weight,..."))
  var internalRewards: String?

  @Option(help: "Minutes between checkpoints.")
  var checkpointMinutes: Double = 5

  @Option(
    help: ArgumentHelp(
      "The large products of the learner and the actors: auto (bf16 where this CPU's bfloat16 arithmetic measures faster than fp32), bf16 (needs AVX512_BF16) or fp32.",
      valueName: "auto|bf16|fp32"))
  var precision = Precision.Choice.auto.rawValue

  /// The configuration of a single agent.
  func agentConfiguration(deterministic: Bool = false) throws -> TrainingConfiguration {
    if evolutionFrames != nil || initialSpread != nil || botGames != nil || botRating != nil {
      throw TrainingError(
        "--evolution-frames, --initial-spread, --bot-games and --bot-rating need --population")
    }
    var configuration = try makeConfiguration(games: gamesPerActor ?? 4, deterministic: deterministic)
    try setOpponent(of: &configuration, allowed: OpponentKind.allCases, option: "--opponent")
    if let learningRate { configuration.learning.learningRate = learningRate }
    if let entropyCost { configuration.learning.entropyCost = entropyCost }
    try configuration.validate()
    return configuration
  }

  /// The members' configuration and the population's.
  func populationConfigurations(deterministic: Bool = false) throws
    -> (TrainingConfiguration, PopulationConfiguration)
  {
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
    var configuration = try makeConfiguration(
      games: gamesPerActor ?? 2 * population.size, deterministic: deterministic)
    if let learningRate { configuration.learning.learningRate = learningRate }
    if let entropyCost { configuration.learning.entropyCost = entropyCost }
    try setOpponent(
      of: &configuration, allowed: PopulationConfiguration.botOpponents,
      option: "--opponent for a population's bot games")
    try configuration.validate()
    return (configuration, population)
  }

  /// Sets `--opponent` (the configuration's default when not given) and `--league`, which goes
  /// with the league; throws naming `option` and what it allows.
  private func setOpponent(
    of configuration: inout TrainingConfiguration, allowed: [OpponentKind], option: String
  ) throws {
    if let opponent {
      guard let kind = OpponentKind(rawValue: opponent), allowed.contains(kind) else {
        throw TrainingError(
          "\(option) must be \(allowed.map(\.rawValue).joined(separator: ", ")), got '\(opponent)'")
      }
      configuration.world.opponent = kind
    }
    guard let league else { return }
    guard configuration.world.opponent == .league else {
      throw TrainingError("--league goes with --opponent league")
    }
    guard let weighting = LeagueWeighting(rawValue: league) else {
      throw TrainingError(
        "--league must be \(LeagueWeighting.allCases.map(\.rawValue).joined(separator: " or ")), got '\(league)'"
      )
    }
    configuration.world.league = weighting
  }

  /// The configuration the options describe (for an agent or every member of a population).
  private func makeConfiguration(games: Int, deterministic: Bool) throws -> TrainingConfiguration {
    var configuration = TrainingConfiguration()
    guard let policyKind = PolicyKind(rawValue: policy) else {
      throw TrainingError("--policy must be decomposed or flat, got '\(policy)'")
    }
    guard let preset = NetworkPreset(rawValue: network) else {
      throw TrainingError("--network must be ftw or small, got '\(network)'")
    }
    guard let viewKind = ViewKind(rawValue: view) else {
      throw TrainingError("--view must be topDown or firstPerson, got '\(view)'")
    }
    configuration.network = .init(preset: preset)
    configuration.network.policy = policyKind
    configuration.world.arena = arena
    configuration.world.teamSize = teamSize
    configuration.world.view = viewKind
    configuration.learning.unrollLength = unrollLength
    configuration.acting.gamesPerActor = games
    configuration.acting.actors = actors
    configuration.world.stepsPerGame = stepsPerGame
    configuration.run.checkpointMinutes = checkpointMinutes
    configuration.learning.learningRateDecayFrames = learningRateDecayFrames
    if let internalRewards {
      do {
        try configuration.changeInternalRewards(internalRewards)
      } catch {
        throw TrainingError("--internal-rewards: \(error)")
      }
    }
    configuration.auxiliary.pixelControlCost = pixelControlCost
    configuration.auxiliary.rewardPredictionCost = rewardPredictionCost
    configuration.run.seed = seed
    configuration.run.deterministic = deterministic
    guard let choice = Precision.Choice(rawValue: precision) else {
      throw TrainingError("--precision must be auto, bf16 or fp32, got '\(precision)'")
    }
    configuration.learning.precision = choice
    try configuration.validate()
    return configuration
  }
}

/// What the learner's and actors' products run on, and why: `learner and actors: bf16 products on
/// the avx512 kernels (auto: bf16 dot products run 2.0x as fast as fp32 FMAs on this CPU ...)`.
func learnerPrecisionLine(_ configuration: TrainingConfiguration) -> String {
  let precision = configuration.learning.precision.resolved ?? .fp32
  let why = configuration.learning.precision == .auto ? " (auto: \(Precision.fastestReason))" : ""
  return "learner and actors: \(precision) products on the \(KernelInstructionSet.active) kernels\(why)"
}
