/// Why a conformance case could not be run to a comparison.
public enum ConformanceError: Error, CustomStringConvertible, Equatable {
  /// The case's module kind has no Swift implementation yet.
  case notImplemented(kind: String)
  /// The case's `config` is outside the schema.
  case badConfig(String)
  /// The file lacks something the case needs, or has something it cannot use.
  case badCase(String)

  public var description: String {
    switch self {
    case .notImplemented(let kind): return "not implemented: module kind '\(kind)'"
    case .badConfig(let message): return "bad config: \(message)"
    case .badCase(let message): return message
    }
  }
}
