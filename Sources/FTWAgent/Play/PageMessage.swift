import Foundation

/// A JSON message the page of `ftw serve` sends on a socket, `{"type": ..., ...}`: `start` with a
/// ``GameRequest``'s fields and `keys` with a ``KeyState``'s on `/play`, `watch` with a
/// ``WatchRequest``'s on `/watch`.
///
/// ```swift
/// let message = try PageMessage(json: Data(#"{"type": "keys", "forward": true}"#.utf8))
/// // .keys(KeyState(forward: true))
/// ```
public enum PageMessage: Equatable, Sendable {
  case start(GameRequest)
  case keys(KeyState)
  case watch(WatchRequest)

  /// The message's type: `start`, `keys` or `watch`.
  public var type: String {
    switch self {
    case .start: "start"
    case .keys: "keys"
    case .watch: "watch"
    }
  }

  /// Reads a message. Throws a ``TrainingError`` for one that is not a JSON object with a known
  /// `"type"`, and the `DecodingError` of a field of the wrong type.
  public init(json: Data) throws {
    guard let envelope = try? JSONDecoder().decode(Envelope.self, from: json) else {
      throw TrainingError("a message is a JSON object with a \"type\"")
    }
    let decoder = JSONDecoder()
    switch envelope.type {
    case "start": self = .start(try decoder.decode(GameRequest.self, from: json))
    case "keys": self = .keys(try decoder.decode(KeyState.self, from: json))
    case "watch": self = .watch(try decoder.decode(WatchRequest.self, from: json))
    default:
      throw TrainingError("unknown message type '\(envelope.type)'; the page sends start, keys and watch")
    }
  }

  private struct Envelope: Decodable { var type: String }
}

/// What a viewer of `/watch` asks for: the run whose newest checkpoint plays, the opponent, the
/// arena, the team size and the games' length (the fields of a ``GameRequest`` of the same names
/// are checked alike). Fields left out take their defaults.
public struct WatchRequest: Decodable, Equatable, Sendable {
  public var run: String
  public var opponent = "scripted"
  public var arena = "tiny"
  public var teamSize = 2
  public var steps = 1000

  /// Reads a request; `run` is required.
  public init(from decoder: any Decoder) throws {
    let fields = try decoder.container(keyedBy: CodingKeys.self)
    run = try fields.decode(String.self, forKey: .run)
    opponent = try fields.decodeIfPresent(String.self, forKey: .opponent) ?? opponent
    arena = try fields.decodeIfPresent(String.self, forKey: .arena) ?? arena
    teamSize = try fields.decodeIfPresent(Int.self, forKey: .teamSize) ?? teamSize
    steps = try fields.decodeIfPresent(Int.self, forKey: .steps) ?? steps
  }

  /// The game request of the same arena, team size, steps and opponent, for its checks.
  public var gameRequest: GameRequest {
    var request = GameRequest()
    (request.arena, request.teamSize, request.steps, request.opponents) = (arena, teamSize, steps, opponent)
    return request
  }

  private enum CodingKeys: String, CodingKey { case run, opponent, arena, teamSize, steps }
}
