#if Web
import ArgumentParser
import FTWAgent
import FTWWeb
import Foundation

/// `ftw serve`: the web page where people play with and against the agents and watch runs.
struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Serve a page where people play capture the flag with and against agents, and watch runs train.",
    discussion: """
      Open the address it prints in a browser. Play: pick the arena, the team size, your seat and \
      who fills the other seats (the built-in bots, or the newest checkpoint of any run under \
      --runs), then play with the keyboard at 15 steps a second; the page shows your view, the \
      map, the score and the clock, and each finished game can be downloaded as a GIF. Finished \
      games are kept in --games (replay one with ftw play --replay FILE) and the page shows your \
      record against each opponent. Watch: a run's learning curve (or a population's ratings), \
      updated as the run writes it, and its newest checkpoint playing a bot. Built with the Web \
      trait: swift build -c release --traits Web.
      """)

  @Option(help: ArgumentHelp("The folder of the runs to play against and watch.", valueName: "folder"))
  var runs = "runs"

  @Option(help: ArgumentHelp("The folder where people's games are kept.", valueName: "folder"))
  var games = "games"

  @Option(help: "The address to listen on (127.0.0.1: this machine only).")
  var host = "127.0.0.1"

  @Option(help: "The port to listen on (0: any free port).")
  var port = 8080

  @Option(help: "Games (played and watched) at once.")
  var maximumGames = 16

  func run() throws {
    guard (0...65535).contains(port) else { throw fail("--port must be in 0...65535, got \(port)") }
    guard (1...256).contains(maximumGames) else {
      throw fail("--maximum-games must be in 1...256, got \(maximumGames)")
    }
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: runs, isDirectory: &isFolder), isFolder.boolValue else {
      throw fail("--runs: \(runs) is not a folder")
    }
    let server = WebServer(
      runs: URL(fileURLWithPath: runs), games: URL(fileURLWithPath: games), maximumGames: maximumGames)
    let (host, port, runs, games) = (host, port, runs, games)
    do {
      try runBlocking {
        try await server.run(host: host, port: port) { port in
          printNow(
            "serving http://\(host):\(port)/ (runs from \(runs), people's games kept in \(games)); Ctrl-C stops"
          )
        }
      }
    } catch {
      throw fail("the server stopped: \(error)")
    }
  }
}
#endif
