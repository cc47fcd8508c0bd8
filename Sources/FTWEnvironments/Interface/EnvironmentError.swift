/// What an environment refuses, with a message that says what is allowed.
public enum EnvironmentError: Error, Equatable, CustomStringConvertible {
  /// An action with the wrong number of indices or an index out of range.
  case invalidAction(String)
  /// A configuration value out of range (team size, game length, view size...).
  case invalidConfiguration(String)
  /// A layout that cannot be played: unknown name, malformed text, missing base, unreachable cell.
  case invalidLayout(String)

  public var description: String {
    switch self {
    case .invalidAction(let message): "invalid action: \(message)"
    case .invalidConfiguration(let message): "invalid configuration: \(message)"
    case .invalidLayout(let message): "invalid layout: \(message)"
    }
  }
}
