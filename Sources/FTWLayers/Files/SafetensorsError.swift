import FTWTensor

/// Why a safetensors file could not be read or used; always names the file, and the key when
/// there is one.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
  case unreadable(file: String, reason: String)
  case truncated(file: String, reason: String)
  case malformedHeader(file: String, reason: String)
  case malformedEntry(file: String, key: String, reason: String)
  case missingKey(file: String, key: String)
  case wrongKind(file: String, key: String, expected: String, found: String)
  case shapeMismatch(file: String, key: String, expected: [Int], found: [Int])
  case unwritable(file: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
    case .truncated(let file, let reason): return "\(file): truncated: \(reason)"
    case .malformedHeader(let file, let reason): return "\(file): malformed header: \(reason)"
    case .malformedEntry(let file, let key, let reason): return "\(file): tensor '\(key)': \(reason)"
    case .missingKey(let file, let key): return "\(file): no tensor '\(key)'"
    case .wrongKind(let file, let key, let expected, let found):
      return "\(file): tensor '\(key)' is \(found), expected \(expected)"
    case .shapeMismatch(let file, let key, let expected, let found):
      return "\(file): tensor '\(key)' has shape \(found), expected \(expected)"
    case .unwritable(let file, let reason): return "\(file): cannot write: \(reason)"
    }
  }
}
