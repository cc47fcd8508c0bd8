import FTWAgent
import FTWEnvironments
import Foundation

extension FuzzTarget {
  /// A page's session with `ftw serve`, one JSON message a line, served as the sockets serve
  /// them with the bots as the only players: a `start` that checks out begins a game, each
  /// `keys` steps it and its frame is encoded, a `watch` is checked.
  static let webMessages = FuzzTarget(
    name: "web-messages", summary: "messages of ftw serve's page (/play and /watch), one a line"
  ) { data in
    let players = BotKind.allCases.map(\.rawValue)
    var game: StreamedGame?
    for line in data.split(separator: UInt8(ascii: "\n")).prefix(64) {
      do {
        switch try PageMessage(json: Data(line)) {
        case .start(let request):
          try request.validate(players: players)
          game = try StreamedGame(
            request: request, teammates: try bot(request.teammates), opponents: try bot(request.opponents),
            seed: UInt64(line.count))
          _ = game?.frame().bytes
        case .keys(let keys):
          guard var current = game, !current.isOver else { continue }
          _ = try current.step(keys).bytes
          game = current
        case .watch(let request):
          try request.gameRequest.validate(players: players)
        }
      } catch {
        continue
      }
    }
  }

  private static func bot(_ name: String) throws -> Player {
    guard let kind = BotKind(rawValue: name) else { throw TrainingError("no bot \(name)") }
    return .bot(kind)
  }
}
