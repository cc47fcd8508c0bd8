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

  func run(_ inbound: WebSocketInboundStream) async throws {
    for try await message in inbound.messages(maxSize: PlaySocket.maximumMessage) {
      do {
        guard case .watch(let request) = try SocketMessage.read(message) else {
          throw TrainingError("/watch takes watch messages")
        }
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
  private func stream(_ request: WatchRequest) async throws {
    let check = request.gameRequest
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
