import ArgumentParser
import FTWEnvironments
import Foundation

/// `ftw play`: games between built-in bots, with the score and an optional recording.
struct Play: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Play capture the flag between built-in bots and print the score.",
    discussion: """
      Team 0 (blue, base A) plays against team 1 (red, base B). --record keeps the first game as an \
      animated GIF: the whole arena with a score bar, and each player's top-down and first-person \
      views beside it.
      """)

  @Option(help: ArgumentHelp("Where to play: \(CaptureTheFlagConfiguration.ArenaChoice.help)."))
  var arena = "small"

  @Option(help: "Players per team.")
  var teamSize = 2

  @Option(help: "The blue team's bots: \(BotKind.allCases.map(\.rawValue).joined(separator: " or ")).")
  var blue = "scripted"

  @Option(help: "The red team's bots: \(BotKind.allCases.map(\.rawValue).joined(separator: " or ")).")
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

  func run() throws {
    guard let blueKind = BotKind(rawValue: blue), let redKind = BotKind(rawValue: red) else {
      throw fail(
        "--blue and --red must be \(BotKind.allCases.map(\.rawValue).joined(separator: " or ")), got '\(blue)' and '\(red)'"
      )
    }
    try validateOptions()
    let configuration = CaptureTheFlagConfiguration(
      arena: try .init(argument: arena), teamSize: teamSize, viewSize: 84, stepsPerGame: steps)
    let game: CaptureTheFlag
    do {
      game = try CaptureTheFlag(configuration: configuration, seed: seed)
    } catch {
      throw fail("\(error)")
    }
    let bots = (0..<game.playerCount).map { player in
      (game.playerTeams[player] == 0 ? blueKind : redKind).make(
        player: player, seed: seed &+ UInt64(player) &* 7919)
    }
    var (wins, draws) = ([0, 0], 0)
    for index in 0..<games {
      let counts = try play(game, index: index, bots: bots)
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
    for path in [record, still].compactMap({ $0 }) {
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
        throw fail("cannot write \(path): the folder \(folder) does not exist")
      }
    }
  }

  /// Plays game `index` to its end (recording the first when asked) and returns each team's
  /// count of every event.
  private func play(_ game: CaptureTheFlag, index: Int, bots: [any Bot]) throws -> [[Float]] {
    game.reset()
    var recorder =
      index == 0 && record != nil
      ? try GameRecorder(game: game, framesPerSecond: max(1, 15 / recordEvery)) : nil
    try recorder?.capture()
    var type = StepType.first
    var counts = [[Float]](repeating: [Float](repeating: 0, count: GameEvent.allCases.count), count: 2)
    while type != .last {
      let steps = try game.step(bots.map { $0.action(in: game).components })
      type = steps[0].stepType
      for (player, step) in steps.enumerated() {
        for event in step.observation.events.indices {
          counts[game.playerTeams[player]][event] += step.observation.events[event]
        }
      }
      if game.stepCount % recordEvery == 0 || type == .last { try recorder?.capture() }
      if index == 0, let still, game.stepCount == stillAt {
        try writeStill(of: game, to: still)
      }
    }
    if let recorder, let record {
      try writeFile(recorder.gif(), to: record)
      print("recorded \(recorder.frameCount) frames to \(record)")
    }
    return counts
  }

  private func printResult(of game: CaptureTheFlag, index: Int, events counts: [[Float]]) {
    let result = game.outcome == .draw ? "draw" : game.outcome == .win(team: 0) ? "blue wins" : "red wins"
    print(
      "game \(index + 1) (\(game.arena.name)): blue \(game.teamScores[0]) - \(game.teamScores[1]) red, \(result)"
    )
    guard events else { return }
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
