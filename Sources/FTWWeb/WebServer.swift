#if Web
import FTWAgent
import FTWEnvironments
import Foundation
import Synchronization
import Hummingbird
import HummingbirdWebSocket

/// `ftw serve`'s web server: one page where a person plays with and against bots and the agents
/// of a runs folder, and watches runs train.
///
/// Routes: `/` the page; `/api/players` the bots and runs; `/api/record` the person's record;
/// `/api/metrics?run=NAME` a run's curves; `/api/gif?game=NAME` a kept game as a GIF; the
/// WebSockets `/play` (a person's game, one step per key message) and `/watch` (a run's newest
/// checkpoint playing, at 15 steps a second).
///
/// ```swift
/// let server = WebServer(runs: URL(fileURLWithPath: "runs"), games: URL(fileURLWithPath: "games"))
/// try await server.run(host: "127.0.0.1", port: 8080) { port in print("serving on \(port)") }
/// ```
public struct WebServer: Sendable {
  /// The runs offered as players and for watching.
  public let catalog: RunCatalog
  /// Where people's games are kept.
  public let games: PeopleGames
  /// At most this many games (played and watched) at once.
  public let maximumGames: Int
  let gameCount = GameCounter()

  public init(runs: URL, games: URL, maximumGames: Int = 16) {
    catalog = RunCatalog(folder: runs)
    self.games = PeopleGames(folder: games)
    self.maximumGames = maximumGames
  }

  /// Serves until the process is interrupted; `onRunning` gets the port listened on.
  public func run(host: String, port: Int, onRunning: @escaping @Sendable (Int) -> Void) async throws {
    let router = Router(context: BasicWebSocketRequestContext.self)
    addPages(to: router)
    router.ws("/play") { inbound, outbound, _ in
      try await PlaySocket(server: self, outbound: outbound).run(inbound)
    }
    router.ws("/watch") { inbound, outbound, _ in
      try await WatchSocket(server: self, outbound: outbound).run(inbound)
    }
    let app = Application(
      router: router, server: .http1WebSocketUpgrade(webSocketRouter: router),
      configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "ftw serve"),
      onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) })
    try await app.runService()
  }

  /// The answer when ``maximumGames`` are playing.
  var busy: TrainingError {
    TrainingError("the server is busy: \(maximumGames) games are playing; try again later")
  }

  /// The bots' names and the runs with checkpoints: what a seat can be filled with.
  func playerNames() -> [String] {
    BotKind.allCases.map(\.rawValue) + catalog.runs().filter(\.hasCheckpoint).map(\.name)
  }

  /// The player `name` names: a bot, or the newest checkpoint of a run in the catalog.
  func player(_ name: String) throws -> Player {
    if let kind = BotKind(rawValue: name) { return .bot(kind) }
    return .agent(try Agent.load(from: try catalog.url(of: name)).agent)
  }
}

/// The games being played, against ``WebServer/maximumGames``.
final class GameCounter: Sendable {
  private let count = Mutex(0)

  /// Counts a new game; `false` when `limit` are already playing.
  func start(limit: Int) -> Bool {
    count.withLock { count in
      guard count < limit else { return false }
      count += 1
      return true
    }
  }

  func end() { count.withLock { $0 -= 1 } }
}
#endif
