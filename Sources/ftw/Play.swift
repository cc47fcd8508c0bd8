import ArgumentParser
import FTWAgent
import FTWEnvironments
import Foundation

/// `ftw play`: games between bots, trained agents or both, with the score and an optional
/// recording.
struct Play: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Play capture the flag between bots and trained agents and print the score.",
    discussion: """
      Team 0 (blue, base A) plays against team 1 (red, base B). Each team is a bot, an agent (the \
      path of a run or checkpoint folder) or a list of seats separated by commas, taken in turn \
      when the team is larger: --blue runs/a,scripted --red runs/a-old plays an agent beside a \
      scripted bot against an earlier checkpoint of itself. Agents play with the view they were \
      trained on. --record keeps the first game as an animated GIF: the whole arena with a score \
      bar, and each player's top-down and first-person views beside it. --log keeps the first       game's seats and every action as JSON, and --replay plays such a log (or a game a person       played in ftw serve) again, bit for bit.
      """)

  @Option(help: ArgumentHelp("Where to play: \(CaptureTheFlagConfiguration.ArenaChoice.help)."))
  var arena = "small"

  @Option(help: "Players per team.")
  var teamSize = 2

  @Option(help: ArgumentHelp("The blue team: \(PlayerArguments.help).", valueName: "players"))
  var blue = "scripted"

  @Option(help: ArgumentHelp("The red team: \(PlayerArguments.help).", valueName: "players"))
  var red = "random"

  @Option(help: "Games to play.")
  var games = 1

  @Option(help: "Steps in a game.")
  var steps = 1000

  @Option(help: "Seed of the arenas and the bots.")
  var seed: UInt64 = 1

  @Flag(help: "Print each team's pick-ups, returns and tags after each game.")
  var events = false

  @Option(help: ArgumentHelp("Write the first game as an animated GIF.", valueName: "file.gif"))
  var record: String?

  @Option(help: "Keep every Nth step in the recording.")
  var recordEvery = 2

  @Option(help: ArgumentHelp("Write one frame of the first game as a GIF still.", valueName: "file.gif"))
  var still: String?

  @Option(help: "The step of the first game that --still keeps.")
  var stillAt = 200

  @Option(
    help: ArgumentHelp("Write the first game's log (seats and every action) as JSON.", valueName: "file.json")
  )
  var log: String?

  @Option(
    help: ArgumentHelp(
      "Replay a game log (from --log or a person's game in ftw serve) instead of playing; --record and "
        + "--still record it.", valueName: "file.json"))
  var replay: String?

  func run() throws {
    try validateOptions()
    if let replay { return try replayLog(replay) }
    var players = PlayerArguments()
    let teams = [try players.team(blue, option: "--blue"), try players.team(red, option: "--red")]
    let game: CaptureTheFlag
    do {
      var configuration = CaptureTheFlagConfiguration(
        arena: try .init(argument: arena), teamSize: teamSize, viewSize: 84, stepsPerGame: steps)
      if let world = players.loaded.first?.configuration.world {
        (configuration.view, configuration.viewSize) = (world.view, world.viewSize)
      }
      game = try CaptureTheFlag(configuration: configuration, seed: seed)
    } catch let error as ExitCode {
      throw error
    } catch {
      throw fail("\(error)")
    }
    var (wins, draws) = ([0, 0], 0)
    for index in 0..<games {
      let counts = try play(game, index: index, teams: teams)
      switch game.outcome {
      case .draw: draws += 1
      case .win(let team): wins[team] += 1
      }
      printResult(of: game, index: index, events: counts)
    }
    if games > 1 {
      print("\(games) games: blue (\(blue)) won \(wins[0]), red (\(red)) won \(wins[1]), \(draws) draws")
    }
  }

  /// Throws unless the counts, the recording's length and the files to write are possible.
  private func validateOptions() throws {
    guard (1...100_000).contains(games) else { throw fail("--games must be in 1...100000, got \(games)") }
    guard (1...50).contains(recordEvery) else {
      throw fail("--record-every must be in 1...50, got \(recordEvery)")
    }
    if record != nil, steps / recordEvery > 20_000 {
      throw fail(
        "--record keeps at most 20000 frames (--steps / --record-every), got \(steps / recordEvery): "
          + "raise --record-every or lower --steps")
    }
    if still != nil, !(0...steps).contains(stillAt) {
      throw fail("--still-at must be in 0...\(steps) (--steps), got \(stillAt)")
    }
    for path in [record, still, log].compactMap({ $0 }) {
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
        throw fail("cannot write \(path): the folder \(folder) does not exist")
      }
    }
  }

  /// Plays game `index` to its end (recording the first when asked) and returns each team's
  /// count of every event.
  private func play(_ game: CaptureTheFlag, index: Int, teams: [EvaluationTeam]) throws -> [[Float]] {
    var match: Match
    do {
      match = try Match(game: game, blue: teams[0], red: teams[1], seed: seed &+ UInt64(index) &* 2)
    } catch {
      throw fail("\(error)")
    }
    var recorder =
      index == 0 && record != nil
      ? try GameRecorder(game: game, framesPerSecond: max(1, 15 / recordEvery)) : nil
    try recorder?.capture()
    var counts = [[Float]](repeating: [Float](repeating: 0, count: GameEvent.allCases.count), count: 2)
    while !match.isOver {
      let steps = try match.step()
      for (player, step) in steps.enumerated() {
        for event in step.observation.events.indices {
          counts[game.playerTeams[player]][event] += step.observation.events[event]
        }
      }
      if game.stepCount % recordEvery == 0 || match.isOver { try recorder?.capture() }
      if index == 0, let still, game.stepCount == stillAt {
        try writeStill(of: game, to: still)
      }
    }
    if let recorder, let record {
      try writeFile(recorder.gif(), to: record)
      print("recorded \(recorder.frameCount) frames to \(record)")
    }
    if index == 0, let log {
      do {
        try match.log.write(to: URL(fileURLWithPath: log))
      } catch {
        throw fail("cannot write \(log): \(error)")
      }
      print("wrote the game's log to \(log)")
    }
    return counts
  }

  /// Replays the game log at `path`, recording it when asked, and prints its score.
  private func replayLog(_ path: String) throws {
    let game: CaptureTheFlag
    var recorder: GameRecorder?
    do {
      let log = try GameLog.read(from: URL(fileURLWithPath: path))
      game = try log.replay { game in
        if recorder == nil, record != nil {
          recorder = try GameRecorder(game: game, framesPerSecond: max(1, 15 / recordEvery))
        }
        if game.stepCount % recordEvery == 0 || game.stepCount == log.actions.count {
          try recorder?.capture()
        }
        if let still, game.stepCount == stillAt { try writeStill(of: game, to: still) }
      }
      print(
        "replayed \(log.actions.count) steps of \(log.seats.joined(separator: ", ")): the score as recorded")
    } catch let error as ExitCode {
      throw error
    } catch {
      throw fail("\(error)")
    }
    if let recorder, let record {
      try writeFile(recorder.gif(), to: record)
      print("recorded \(recorder.frameCount) frames to \(record)")
    }
    printResult(of: game, index: 0, events: [])
  }

  private func printResult(of game: CaptureTheFlag, index: Int, events counts: [[Float]]) {
    let result = game.outcome == .draw ? "draw" : game.outcome == .win(team: 0) ? "blue wins" : "red wins"
    print(
      "game \(index + 1) (\(game.arena.name)): blue \(game.teamScores[0]) - \(game.teamScores[1]) red, \(result)"
    )
    guard events, !counts.isEmpty else { return }
    for (team, name) in ["blue", "red"].enumerated() {
      let own = [GameEvent.iPickedUpFlag, .iReturnedFlag, .iTaggedOpponent, .iWasTagged]
      print(
        "  \(name): " + own.map { "\($0.name) \(Int(counts[team][$0.rawValue]))" }.joined(separator: ", "))
    }
  }

  private func writeStill(of game: CaptureTheFlag, to path: String) throws {
    var recorder = try GameRecorder(game: game)
    try recorder.capture()
    try writeFile(recorder.gif(), to: path)
    print("wrote step \(game.stepCount) to \(path)")
  }
}

/// Writes `bytes` to `path` atomically (a temporary file renamed into place).
func writeFile(_ bytes: [UInt8], to path: String) throws {
  do {
    try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
  } catch {
    throw fail("cannot write \(path): \(error.localizedDescription)")
  }
}
