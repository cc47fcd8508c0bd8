#if Web
import FTWAgent
import FTWEnvironments
import Foundation
import Hummingbird
import HummingbirdWebSocket

/// One person's connection to `/play`. The page sends `{"type": "start", ...GameRequest}`, then
/// one `{"type": "keys", ...KeyState}` per step (15 a second); each is answered with the
/// ``StepFrame`` after it. A finished game is kept in the server's games folder and its last frame
/// names it; another `start` begins a new game. A message that cannot be served is answered with
/// `{"type": "error", "message": ...}` and the connection stays open; closing it ends the game.
struct PlaySocket {
  let server: WebServer
  let outbound: WebSocketOutboundWriter
  /// The shortest time between two steps: a page cannot play faster than 30 steps a second.
  static let shortestStep = Duration.milliseconds(33)
  /// The longest message read.
  static let maximumMessage = 1 << 14

  func run(_ inbound: WebSocketInboundStream) async throws {
    var game: StreamedGame?
    var counted = false
    defer { if counted { server.gameCount.end() } }
    var lastStep = ContinuousClock.now - Self.shortestStep
    for try await message in inbound.messages(maxSize: Self.maximumMessage) {
      do {
        switch try SocketMessage.read(message) {
        case .start(let request):
          if !counted {
            guard server.gameCount.start(limit: server.maximumGames) else { throw server.busy }
            counted = true
          }
          game = nil
          let started = try start(request)
          game = started
          try await send(started.frame())
        case .keys(let keys):
          guard var current = game, !current.isOver else { throw TrainingError("start a game first") }
          try await ContinuousClock().sleep(until: lastStep + Self.shortestStep)
          lastStep = .now
          var frame = try current.step(keys)
          if current.isOver { frame = current.frame(game: try server.games.keep(current.match.log)) }
          game = current
          try await send(frame)
        case .watch:
          throw TrainingError("/play takes start and keys messages")
        }
      } catch {
        try await SocketMessage.answer(error, to: outbound)
      }
    }
  }

  private func start(_ request: GameRequest) throws -> StreamedGame {
    try request.validate(players: server.playerNames())
    let seed = UInt64(Date().timeIntervalSince1970 * 1000)
    return try StreamedGame(
      request: request, teammates: try server.player(request.teammates),
      opponents: try server.player(request.opponents), names: (request.teammates, request.opponents),
      seed: seed)
  }

  private func send(_ frame: StepFrame) async throws {
    try await outbound.writeBinaryMessage(ByteBuffer(bytes: frame.bytes))
  }
}

/// The JSON messages of the sockets: ``PageMessage``s in, errors out.
enum SocketMessage {
  /// The page's message; throws a ``TrainingError`` for a binary one or one ``PageMessage``
  /// does not read.
  static func read(_ message: WebSocketMessage) throws -> PageMessage {
    guard case .text(let text) = message else { throw TrainingError("messages are JSON text, not binary") }
    return try PageMessage(json: Data(text.utf8))
  }

  /// Answers a message that could not be served with `{"type": "error", "message": ...}`.
  static func answer(_ error: any Error, to outbound: WebSocketOutboundWriter) async throws {
    let message =
      (error as? DecodingError).map { "malformed message: \(describe($0))" } ?? "\(error)"
    let json = (try? JSONEncoder().encode(["type": "error", "message": message])) ?? Data()
    try await outbound.write(.text(String(decoding: json, as: UTF8.self)))
  }

  /// A decoding error in a sentence: which field, what was wrong.
  static func describe(_ error: DecodingError) -> String {
    switch error {
    case .typeMismatch(let type, let context): "\(path(context)) must be \(type)"
    case .valueNotFound(let type, let context): "\(path(context)) must be \(type), not null"
    case .keyNotFound(let key, _): "\(key.stringValue) is missing"
    case .dataCorrupted(let context): "\(path(context)): \(context.debugDescription)"
    @unknown default: "\(error)"
    }
  }

  private static func path(_ context: DecodingError.Context) -> String {
    context.codingPath.map(\.stringValue).joined(separator: ".")
  }
}
#endif
