import ArgumentParser
import FTWEnvironments
import Foundation

/// `ftw bench env`: how fast the capture-the-flag world steps and renders, on one core.
struct EnvBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "env",
    abstract: "Steps and player-views per second of capture the flag on one core.",
    discussion: """
      For each view, team size and arena size: random actions for every player, each step moving \
      everyone, applying the rules and rendering every player's 84x84 view. steps_per_second counts \
      environment steps, views_per_second player-views (steps x players). Medians over rounds. \
      Build with -c release.
      """)

  @Option(help: "Views, comma-separated: topDown, firstPerson.")
  var views = "topDown,firstPerson"

  @Option(help: "Team sizes, comma-separated (players = 2 x team size).")
  var teamSizes = "1,2,4"

  @Option(help: "Arena sizes, comma-separated: small, medium, large.")
  var arenas = "small,medium,large"

  @Option(help: "Timed rounds per configuration.")
  var rounds = 5

  @Option(help: "Steps per round.")
  var steps = 500

  @Flag(help: "Print one JSON line per configuration instead of a table.")
  var json = false

  func run() throws {
    let viewList = try views.split(separator: ",").map { name in
      guard let view = ViewKind(rawValue: String(name)) else {
        throw fail("--views must list topDown and/or firstPerson, got '\(name)'")
      }
      return view
    }
    let sizes = try teamSizes.split(separator: ",").map { text in
      guard let size = Int(text), (1...8).contains(size) else {
        throw fail("--team-sizes must list integers in 1...8, got '\(text)'")
      }
      return size
    }
    let arenaList = try arenas.split(separator: ",").map { name in
      guard let size = ArenaSize(rawValue: String(name)) else {
        throw fail("--arenas must list tiny, small, medium and/or large, got '\(name)'")
      }
      return size
    }
    guard (1...1000).contains(rounds) else { throw fail("--rounds must be in 1...1000, got \(rounds)") }
    guard (1...1_000_000).contains(steps) else { throw fail("--steps must be in 1...1000000, got \(steps)") }
    if !json { print("view         players  arena    steps/s    views/s") }
    for view in viewList {
      for teamSize in sizes {
        for arena in arenaList {
          let rate = try measure(view: view, teamSize: teamSize, arena: arena)
          let players = 2 * teamSize
          if json {
            let row: [String: Any] = [
              "view": view.rawValue, "players": players, "arena": arena.rawValue,
              "steps_per_second": rate, "views_per_second": rate * Double(players),
            ]
            let data = try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
          } else {
            print(
              view.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(
                  format: " %7d  %-6@ %9.0f %10.0f", players, arena.rawValue, rate, rate * Double(players)))
          }
        }
      }
    }
  }

  /// The median steps per second over the rounds.
  private func measure(view: ViewKind, teamSize: Int, arena: ArenaSize) throws -> Double {
    let game = try CaptureTheFlag(
      configuration: CaptureTheFlagConfiguration(arena: .generated(arena), teamSize: teamSize, view: view),
      seed: 1)
    game.reset()
    var generator = SplitMix64(seed: 2)
    let spec = CaptureTheFlag.actionSpec
    var actions = [[Int]](repeating: [1, 1, 2, 0], count: game.playerCount)
    let rates = try (0...rounds).map { _ in
      let start = DispatchTime.now().uptimeNanoseconds
      for _ in 0..<steps {
        for player in actions.indices {
          actions[player] = try spec.components(ofFlatIndex: generator.next(below: spec.flatCount))
        }
        try game.step(actions)
      }
      return Double(steps) * 1e9 / Double(DispatchTime.now().uptimeNanoseconds - start)
    }
    return median(Array(rates.dropFirst()))  // the first round warms up
  }
}
