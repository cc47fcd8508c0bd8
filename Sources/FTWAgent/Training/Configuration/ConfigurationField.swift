import Foundation

/// A field of a saved configuration that could not be read: its key and, in words, what it may
/// hold. Its description is the message a user sees.
///
/// ```swift
/// // configuration.json holding "seed" : -1
/// try RunFolder.open(at: url)
/// // ... is not a valid configuration: "seed" must be a whole number from 0 to 18446744073709551615
/// ```
public struct ConfigurationFieldError: Error, CustomStringConvertible, Equatable {
  /// The field's key in the file.
  public let key: String
  /// What the field may hold: "a whole number", "one of random, scripted, ...".
  public let expected: String
  /// Whether the field was missing rather than of the wrong kind.
  public let isMissing: Bool

  public var description: String {
    isMissing ? "\"\(key)\" is missing: it must be \(expected)" : "\"\(key)\" must be \(expected)"
  }

  /// What a field of `type` may hold, in words.
  static func expectedValue(of type: Any.Type) -> String {
    switch type {
    case is Int.Type: return "a whole number"
    case is UInt64.Type: return "a whole number from 0 to \(UInt64.max)"
    case is Float.Type, is Double.Type: return "a number"
    case is Bool.Type: return "true or false"
    case is String.Type: return "a string"
    case is [Int].Type: return "a list of whole numbers"
    case is [Float].Type: return "a list of numbers"
    default:
      guard let cases = type as? any CaseIterable.Type else { return "a \(type)" }
      return "one of " + caseNames(cases).joined(separator: ", ")
    }
  }

  private static func caseNames<Cases: CaseIterable>(_ type: Cases.Type) -> [String] {
    Cases.allCases.map { value in (value as? any RawRepresentable).map { "\($0.rawValue)" } ?? "\(value)" }
  }
}

extension KeyedDecodingContainer {
  /// The value at `key`, `nil` when the file has no such key; a value that is not a `Value`
  /// (a negative seed, an unknown opponent) is refused with a ``ConfigurationFieldError``.
  func field<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
    // Any error: Foundation's decoder reports a number out of the type's range (a negative seed)
    // as an error of its own, and turns it into "not valid JSON" only at the top.
    do {
      return try decodeIfPresent(type, forKey: key)
    } catch let error as ConfigurationFieldError {
      throw error
    } catch {
      throw ConfigurationFieldError(
        key: key.stringValue, expected: ConfigurationFieldError.expectedValue(of: type), isMissing: false)
    }
  }

  /// The value at `key`, which the file must have; refused as ``field(_:forKey:)`` refuses.
  func requiredField<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value {
    guard let value = try field(type, forKey: key) else {
      throw ConfigurationFieldError(
        key: key.stringValue, expected: ConfigurationFieldError.expectedValue(of: type), isMissing: true)
    }
    return value
  }
}

extension KeyedDecodingContainer {
  /// Sets `value` to the value at `key` if the file has one; refused as ``field(_:forKey:)``
  /// refuses.
  func read<Value: Decodable>(_ key: Key, into value: inout Value) throws {
    if let decoded = try field(Value.self, forKey: key) { value = decoded }
  }
}
