import ArgumentParser
import FTWAgent
import FTWEnvironments
import Foundation

/// `ftw ladder`: rates the built-in bots on one Elo scale by a round robin among them.
struct Ladder: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Rate the built-in bots on one Elo scale (the random bot at 0) by a round robin.",
    discussion: """
      Plays every pair of bots --games games on arenas generated from evaluation seeds, each bot \
      playing each side in turn, fits the ratings by maximum likelihood and prints them with the \
      win rates. --output writes the ladder as JSON; the package's own, which `ftw eval --ladder` \
      rates agents against, is Sources/FTWAgent/Ladder/BotLadder.json, made by the command it \
      records.
      """)

  @Option(
    help: ArgumentHelp(
      "The bots, comma-separated; the first is rated 0. Known: \(BotKind.allCases.map(\.rawValue).joined(separator: ", ")).",
      valueName: "names"))
  var bots = BotKind.ladder.map(\.rawValue).joined(separator: ",")

  @Option(help: "Games each pair plays.")
  var games = 200

  @Option(help: "Where to play: tiny, small, medium, large or a named layout.")
  var arena = "tiny"

  @Option(help: "Players per team.")
  var teamSize = 2

  @Option(help: "Steps in a game.")
  var stepsPerGame = 1000

  @Option(help: "The evaluation's seed (arenas, bots).")
  var seed: UInt64 = 1

  @Option(help: ArgumentHelp("Write the ladder as JSON.", valueName: "file.json"))
  var output: String?

  func run() throws {
    let kinds = try bots.split(separator: ",").map { name in
      guard let kind = BotKind(rawValue: String(name)) else {
        throw fail(
          "unknown bot '\(name)' in --bots; known: \(BotKind.allCases.map(\.rawValue).joined(separator: ", "))"
        )
      }
      return kind
    }
    var world = TrainingConfiguration.World()
    (world.arena, world.teamSize, world.stepsPerGame) = (arena, teamSize, stepsPerGame)
    let pairs = kinds.count * (kinds.count - 1) / 2
    var done = 0
    let ladder: BotLadder
    do {
      ladder = try BotLadder.measure(
        kinds, world: world, gamesPerPair: games, seed: seed,
        command: "ftw " + CommandLine.arguments.dropFirst().joined(separator: " ")
      ) { i, j in
        done += 1
        FileHandle.standardError.write(
          Data(
            "\rplayed \(done) of \(pairs) pairs (\(kinds[i].rawValue) against \(kinds[j].rawValue))   ".utf8))
      }
      if let output { try ladder.save(to: URL(fileURLWithPath: output)) }
    } catch let error as ExitCode {
      throw error
    } catch {
      throw fail("\(error)")
    }
    FileHandle.standardError.write(Data("\n".utf8))
    print(ladder.table)
  }
}

extension BotLadder {
  /// The ratings, weakest first, and each bot's score against every other.
  var table: String {
    let names = ratings.map(\.bot)
    var lines = [
      "\(gamesPerPair) games a pair, \(teamSize) v \(teamSize) on \(arena) arenas, \(stepsPerGame) steps a game"
    ]
    lines.append(
      "bot          Elo " + names.map { $0.padding(toLength: 9, withPad: " ", startingAt: 0) }.joined())
    for rating in ratings {
      let scores = names.map { opponent -> String in
        guard let score = score(of: rating.bot, against: opponent) else { return "    -    " }
        return String(format: "%5.0f%%   ", 100 * score)
      }
      lines.append(
        rating.bot.padding(toLength: 9, withPad: " ", startingAt: 0) + String(format: "%6.0f ", rating.elo)
          + scores.joined())
    }
    return lines.joined(separator: "\n")
  }

  /// `bot`'s score against `opponent`: (wins + draws / 2) / games.
  func score(of bot: String, against opponent: String) -> Double? {
    for pairing in pairings where pairing.result.games > 0 {
      if pairing.bot == bot, pairing.opponent == opponent { return pairing.result.score }
      if pairing.bot == opponent, pairing.opponent == bot { return pairing.result.reversed.score }
    }
    return nil
  }

}
