#if Web
import FTWAgent
import FTWEnvironments
import Foundation
import Hummingbird
import HummingbirdWebSocket

/// One viewer's connection to `/watch`. The page sends `{"type": "watch", "run": NAME,
/// "opponent": BOT, "arena": ..., "teamSize": ...}`; the server then plays the run's newest
/// checkpoint against the opponent at 15 steps a second and sends each step's ``StepFrame``
/// (the map only), game after game, each with the newest checkpoint, until the page closes.
struct WatchSocket {
  let server: WebServer
  let outbound: WebSocketOutboundWriter

  /// What the viewer asks for.
  struct Request: Decodable {
    var run: String
    var opponent = "scripted"
    var arena = "tiny"
    var teamSize = 2
    var steps = 1000

    init(from decoder: any Decoder) throws {
      let fields = try decoder.container(keyedBy: CodingKeys.self)
      run = try fields.decode(String.self, forKey: .run)
      opponent = try fields.decodeIfPresent(String.self, forKey: .opponent) ?? opponent
      arena = try fields.decodeIfPresent(String.self, forKey: .arena) ?? arena
      teamSize = try fields.decodeIfPresent(Int.self, forKey: .teamSize) ?? teamSize
      steps = try fields.decodeIfPresent(Int.self, forKey: .steps) ?? steps
    }

    enum CodingKeys: String, CodingKey { case run, opponent, arena, teamSize, steps }
  }

  func run(_ inbound: WebSocketInboundStream) async throws {
    for try await message in inbound.messages(maxSize: PlaySocket.maximumMessage) {
      do {
        let (type, data) = try SocketMessage.read(message)
        guard type == "watch" else {
          throw TrainingError("unknown message type '\(type)'; /watch takes watch")
        }
        let request = try JSONDecoder().decode(Request.self, from: data)
        guard server.gameCount.start(limit: server.maximumGames) else { throw server.busy }
        defer { server.gameCount.end() }
        try await stream(request)
        return
      } catch {
        try await SocketMessage.answer(error, to: outbound)
      }
    }
  }

  /// Plays games of the run against the opponent until the connection closes.
  private func stream(_ request: Request) async throws {
    var check = GameRequest()
    (check.arena, check.teamSize, check.steps, check.opponents) =
      (request.arena, request.teamSize, request.steps, request.opponent)
    try check.validate(players: server.playerNames())
    guard server.catalog.runs().contains(where: { $0.name == request.run && $0.hasCheckpoint }) else {
      throw TrainingError("run '\(request.run)' has no checkpoint to watch yet")
    }
    let clock = ContinuousClock()
    var next = clock.now
    while !Task.isCancelled {
      var game = try StreamedGame(
        blue: try server.player(request.run), red: try server.player(request.opponent),
        arena: try check.arenaChoice(), teamSize: request.teamSize, steps: request.steps,
        seed: UInt64(Date().timeIntervalSince1970 * 1000))
      while !game.isOver {
        next += .milliseconds(66)
        try await clock.sleep(until: next)
        let frame = try game.step()
        try await outbound.writeBinaryMessage(ByteBuffer(bytes: frame.bytes))
      }
      next += .seconds(2)
    }
  }
}
#endif
