import ArgumentParser
import FTWAgent
import FTWEnvironments
import FTWTensor
import Foundation

/// `ftw eval`: plays a trained (or untrained) agent against a bot or another checkpoint.
struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Evaluate an agent at capture the flag against a bot or another checkpoint.",
    discussion: """
      Plays --games games on arenas generated from evaluation seeds, which training never uses; the \
      agent plays each side in turn. Without --checkpoint, evaluates the untrained network of the \
      default configuration. With --population, plays every member of a population run against \
      every other, --games games a pair, and prints the members' ratings and the win-rate matrix.
      """)

  @Option(
    help: ArgumentHelp("A run folder (its newest checkpoint) or a checkpoint folder.", valueName: "path"))
  var checkpoint: String?

  @Option(
    help: ArgumentHelp("A population run folder: play a round robin among its members.", valueName: "run-dir")
  )
  var population: String?

  @Option(help: "The other team: \(PlayerArguments.help).")
  var opponent = "random"

  @Option(
    help: ArgumentHelp(
      "The agent's teammates, after the agent in every seat of its team taken in turn: \(PlayerArguments.help).",
      valueName: "players"))
  var teammate: String?

  @Flag(
    help:
      "Rate the agent on the bots' Elo scale: play every rung of the ladder, then the rungs near its level.")
  var ladder = false

  @Flag(
    help:
      "Tabulate the agent's results against the random and the scripted bot as trained, at the other team sizes, on medium arenas and with a scripted teammate, --games games a cell."
  )
  var generalisation = false

  @Option(
    help: ArgumentHelp(
      "With --ladder: a ladder file of `ftw ladder` (default: the package's).", valueName: "file.json"))
  var ladderFile: String?

  @Option(help: ArgumentHelp("With --ladder: draw the rating as an SVG picture.", valueName: "file.svg"))
  var svg: String?

  @Option(help: "Games to play (with --ladder: in all).")
  var games = 100

  @Option(
    help:
      "Where to play (default: the checkpoint's training arena): \(CaptureTheFlagConfiguration.ArenaChoice.help)."
  )
  var arena: String?

  @Option(help: "Players per team, 1...8; the agent plays every seat of its team (default: as trained).")
  var teamSize: Int?

  @Option(help: "The evaluation's seed (arenas, bots, sampling).")
  var seed: UInt64 = 1

  @Option(help: ArgumentHelp("Write the first game as an animated GIF.", valueName: "file.gif"))
  var record: String?

  @Flag(help: "Print one JSON line.")
  var json = false

  func run() throws {
    guard (1...100_000).contains(games) else { throw fail("--games must be in 1...100000, got \(games)") }
    if let population {
      guard checkpoint == nil, record == nil else {
        throw fail("--population plays its members against each other: it takes no --checkpoint or --record")
      }
      return try playRoundRobin(URL(fileURLWithPath: population))
    }
    guard ladder || (ladderFile == nil && svg == nil) else {
      throw fail("--ladder-file and --svg go with --ladder")
    }
    let (agent, label) = try loadAgent()
    if generalisation {
      guard !ladder, teammate == nil, teamSize == nil, arena == nil, record == nil, opponent == "random"
      else {
        throw fail(
          "--generalisation sets the team sizes, arenas, teammates and opponents itself: it takes no --ladder, --teammate, --team-size, --arena, --opponent or --record"
        )
      }
      return try tabulateGeneralisation(of: agent, label: label)
    }
    let environment = try evaluationEnvironment(of: agent)
    let arenaName = arena ?? agent.configuration.world.arena
    var players = PlayerArguments()
    let teammates = try teammate.map { try players.team($0, option: "--teammate").seats } ?? []
    let team = EvaluationTeam(seats: [.agent(agent)] + teammates)
    if ladder { return try rateOnLadder(team, label: label, environment: environment, arena: arenaName) }
    let other = try players.team(opponent, option: "--opponent")
    var recorder: GameRecorder?
    let result = try Evaluator(environment: environment, seed: seed).run(team, against: other, games: games) {
      game in
      guard record != nil else { return }
      if recorder == nil { recorder = try GameRecorder(game: game, framesPerSecond: 8) }
      if game.stepCount % 2 == 0 || game.stepCount == game.configuration.stepsPerGame {
        try recorder?.capture()
      }
    }
    if let record, let recorder { try writeFile(recorder.gif(), to: record) }
    try printResult(result, of: label, arena: arenaName)
  }

  /// The games' world: the agent's, with `--arena` and `--team-size` when given.
  private func evaluationEnvironment(of agent: Agent) throws -> CaptureTheFlagConfiguration {
    do {
      var environment = try agent.configuration.world.environmentConfiguration()
      if let arena { environment.arena = try CaptureTheFlagConfiguration.ArenaChoice(argument: arena) }
      if let teamSize {
        guard (1...8).contains(teamSize) else { throw fail("--team-size must be in 1...8, got \(teamSize)") }
        environment.teamSize = teamSize
      }
      try environment.validate()
      return environment
    } catch let error as ExitCode {
      throw error
    } catch {
      throw fail("\(error)")
    }
  }

  /// The agent of `--checkpoint` (or the untrained network) and how to name it.
  private func loadAgent() throws -> (Agent, String) {
    do {
      guard let checkpoint else {
        var generator = RandomGenerator(seed: seed)
        return (
          try Agent(configuration: TrainingConfiguration(), generator: &generator), "the untrained network"
        )
      }
      let loaded = try Agent.load(from: URL(fileURLWithPath: checkpoint))
      for refusal in loaded.refused { FileHandle.standardError.write(Data("refused \(refusal)\n".utf8)) }
      return (loaded.agent, "\(checkpoint) (learner step \(loaded.step))")
    } catch {
      throw fail("\(error)")
    }
  }

  private func printResult(_ result: EvaluationResult, of label: String, arena: String) throws {
    guard !json else {
      let line: [String: Any] = [
        "games": result.games, "wins": result.wins, "draws": result.draws, "losses": result.losses,
        "win_rate": result.winRate, "mean_captures": result.meanCaptures,
        "mean_score_difference": result.meanScoreDifference,
      ]
      print(
        String(
          decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self))
      return
    }
    let interval = result.winRateInterval
    print("\(label) against \(opponent), \(result.games) games on \(arena) arenas:")
    print(
      String(
        format: "wins %d, draws %d, losses %d: win rate %.1f%% (95%% interval %.1f%%-%.1f%%)", result.wins,
        result.draws, result.losses, 100 * result.winRate, 100 * interval.lowerBound,
        100 * interval.upperBound))
    print(
      String(
        format: "mean captures %.2f, mean score difference %+.2f", result.meanCaptures,
        result.meanScoreDifference))
    if let record { print("recorded the first game to \(record)") }
  }

  private func playRoundRobin(_ url: URL) throws {
    let agents: [Agent]
    let state: PopulationState?
    let environment: CaptureTheFlagConfiguration
    var arenaName = ""
    do {
      let (run, configuration, population) = try PopulationRun.open(at: url)
      state = try run.state()
      agents = try (0..<population.size).map { try Agent.load(from: run.member($0).url).agent }
      var playing = configuration
      if let arena { playing.world.arena = arena }
      try playing.validate()
      environment = try playing.world.environmentConfiguration()
      arenaName = playing.world.arena
    } catch {
      throw fail("\(error)")
    }
    let pairs = agents.count * (agents.count - 1) / 2
    var done = 0
    let table = try RoundRobin.play(
      agents.map { .agent($0) }, environment: environment, seed: seed, gamesPerPair: games
    ) {
      _, _ in
      done += 1
      if !json { FileHandle.standardError.write(Data("\rplayed \(done) of \(pairs) pairs".utf8)) }
    }
    if json {
      let line: [String: Any] = [
        "members": agents.count, "games_per_pair": games,
        "ratings": state?.elo.ratings ?? [], "scores": agents.indices.map { table.score(of: $0) },
        "win_rates": table.results.map { $0.map(\.winRate) },
      ]
      print(
        String(
          decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self))
      return
    }
    print("\n\(agents.count) members, \(games) games a pair on \(arenaName) arenas")
    print("win rate of each member (row) against each other (column):")
    print(
      "member  rating  generation  score"
        + agents.indices.map { "vs \($0)" }.map { String(repeating: " ", count: max(0, 7 - $0.count)) + $0 }
        .joined())
    for i in agents.indices {
      let rating = state.map { String(format: "%6.0f", $0.elo.ratings[i]) } ?? "     -"
      let generation = state.map { String(format: "%10d", $0.members[i].generation) } ?? "         -"
      let row = agents.indices.map { j in
        i == j ? "      -" : String(format: "%7.2f", table.results[i][j].winRate)
      }
      print(String(format: "%6d  %@  %@  %5.2f", i, rating, generation, table.score(of: i)) + row.joined())
    }
  }
}
