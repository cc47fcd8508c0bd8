#if Distributed
import FTWReverb
import GRPCCore

/// What went wrong talking to a Reverb server.
///
/// ```swift
/// do { _ = try await client.serverInfo() } catch let error as ReverbError { print(error) }
/// // "the Reverb server at localhost:8000 is unreachable: ..."
/// ```
public enum ReverbError: Error, CustomStringConvertible, Sendable {
  /// No connection to the server (it is not running, or the address is wrong).
  case unreachable(address: String, reason: String)
  /// The server answered with an error (an unknown table, a full queue after a timeout, ...).
  case server(code: String, message: String)
  /// A reply the client cannot read, or a request the client refuses to send.
  case protocolViolation(String)
  /// The writer or sampler was used after it was closed, or its stream ended.
  case closed(String)

  public var description: String {
    switch self {
    case .unreachable(let address, let reason): "the Reverb server at \(address) is unreachable: \(reason)"
    case .server(let code, let message): "the Reverb server refused: \(code): \(message)"
    case .protocolViolation(let message): "Reverb protocol: \(message)"
    case .closed(let message): message
    }
  }

  /// Whether the server gave up waiting for a table's rate limiter within the call's timeout: a
  /// queue with nothing to sample, or no room to insert.
  public var isTimeout: Bool {
    guard case .server(let code, _) = self else { return false }
    return code == "\(RPCError.Code.deadlineExceeded)"
  }

  /// Whether the server could not be reached (see ``unreachable(address:reason:)``).
  public var isUnreachable: Bool {
    guard case .unreachable = self else { return false }
    return true
  }

  /// Whether the server went away: it cannot be reached, or it cancelled the call as it shut down
  /// (an insert waiting for room when the server stops is answered "RateLimiter has been
  /// cancelled"). Either way the next server on that address may take the call again.
  public var isServerGone: Bool {
    if isUnreachable { return true }
    guard case .server(let code, _) = self else { return false }
    return code == "\(RPCError.Code.cancelled)"
  }

  /// Whether a reply could not be read (see ``protocolViolation(_:)``): for a sample, an item
  /// whose chunks or layout are damaged.
  public var isProtocolViolation: Bool {
    guard case .protocolViolation = self else { return false }
    return true
  }

  /// Whether a writer's or sampler's stream has ended (see ``closed(_:)``).
  public var isClosed: Bool {
    guard case .closed = self else { return false }
    return true
  }

  /// `error` as a ``ReverbError``: transport failures become ``unreachable(address:reason:)``.
  static func from(_ error: any Error, address: String) -> ReverbError {
    if let error = error as? ReverbError { return error }
    if let error = error as? RPCError {
      if error.code == .unavailable { return .unreachable(address: address, reason: error.message) }
      return .server(code: "\(error.code)", message: error.message)
    }
    if let error = error as? ReverbTensor.ShapeError { return .protocolViolation(error.description) }
    return .protocolViolation("\(error)")
  }
}
#endif
