import FTWLayers
import Foundation

/// A case's `config` metadata: the reference's constructor arguments as JSON, read with checks.
///
/// A configuration is untrusted input. Every getter throws ``ConformanceError/badConfig(_:)``
/// naming the key and what is allowed; ``finish()`` rejects keys nobody read, so a configuration
/// outside the schema fails loudly. Sizes (``size(_:default:)``) are bounded by the case itself:
/// every size of a module appears as an extent of some tensor the case stores (a weight, an input,
/// an output), so none may exceed the largest of them, ``sizeLimit``; counts of stored tensors
/// (``count(_:)``) may not exceed how many the case has, ``countLimit``. A configuration asking for
/// a module larger than its case is refused before anything is allocated.
///
/// ```swift
/// let config = try CaseConfig(json: #"{"output_size": 5}"#, sizeLimit: 7, countLimit: 6)
/// let size = try config.size("output_size")
/// try config.finish()
/// ```
public final class CaseConfig {
  private let values: [String: JSONValue]
  private var read: Set<String> = []
  /// Where this config sits in the case's config, for messages (`torso.` for a nested one).
  public let context: String
  /// The largest size a key may ask for.
  public let sizeLimit: Int
  /// The largest count of tensors a key may ask for.
  public let countLimit: Int

  public convenience init(json: String, context: String = "", sizeLimit: Int, countLimit: Int) throws {
    guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)),
      case .object(let values) = value
    else { throw ConformanceError.badConfig("\(context)config is not a JSON object: \(json)") }
    self.init(values: values, context: context, sizeLimit: sizeLimit, countLimit: countLimit)
  }

  private init(values: [String: JSONValue], context: String, sizeLimit: Int, countLimit: Int) {
    self.values = values
    self.context = context
    self.sizeLimit = Swift.max(1, sizeLimit)
    self.countLimit = Swift.max(0, countLimit)
  }

  private func fail(_ key: String, _ allowed: String) -> ConformanceError {
    .badConfig("\(context)\(key) must be \(allowed), got \(values[key].map { "\($0)" } ?? "nothing")")
  }

  /// Whether `key` is present and not null.
  public func has(_ key: String) -> Bool {
    read.insert(key)
    return values[key].map { $0 != .null } ?? false
  }

  /// An integer; `fallback` when absent or null.
  public func int(_ key: String, default fallback: Int? = nil) throws -> Int {
    guard has(key) else {
      if let fallback { return fallback }
      throw fail(key, "an integer")
    }
    guard let value = values[key]?.intValue else { throw fail(key, "an integer") }
    return value
  }

  /// A size (a hidden size, a channel count, a kernel extent...): an integer in `1...sizeLimit`;
  /// `fallback` when absent or null.
  public func size(_ key: String, default fallback: Int? = nil) throws -> Int {
    let value = try int(key, default: fallback)
    try requireSize(value, key)
    return value
  }

  /// A count of the case's tensors (gradients, steps): an integer in `0...countLimit`.
  public func count(_ key: String) throws -> Int {
    let value = try int(key)
    guard (0...countLimit).contains(value) else {
      throw ConformanceError.badConfig(
        "\(context)\(key) must be an integer in 0...\(countLimit) (the case has \(countLimit) tensors), got \(value)"
      )
    }
    return value
  }

  private func requireSize(_ value: Int, _ key: String) throws {
    guard (1...sizeLimit).contains(value) else {
      throw ConformanceError.badConfig(
        "\(context)\(key) must be a size in 1...\(sizeLimit) (the largest extent of the case's tensors), got \(value)"
      )
    }
  }

  /// A number; `fallback` when absent or null.
  public func float(_ key: String, default fallback: Float) throws -> Float {
    guard has(key) else { return fallback }
    guard let value = values[key]?.doubleValue else { throw fail(key, "a number") }
    return Float(value)
  }

  /// A number no smaller than `lower`, or `nil` when absent or null (a bound such as a clip value,
  /// where null means none).
  public func optionalFloat(_ key: String, atLeast lower: Float) throws -> Float? {
    guard has(key) else { return nil }
    let value = try float(key, default: lower)
    guard value >= lower else { throw fail(key, "a number >= \(lower) or null") }
    return value
  }

  /// A boolean; `fallback` when absent or null.
  public func bool(_ key: String, default fallback: Bool) throws -> Bool {
    guard has(key) else { return fallback }
    guard case .bool(let value) = values[key] else { throw fail(key, "true or false") }
    return value
  }

  /// A string; `fallback` when absent or null.
  public func string(_ key: String, default fallback: String) throws -> String {
    guard has(key) else { return fallback }
    guard case .string(let value) = values[key] else { throw fail(key, "a string") }
    return value
  }

  /// One of an enumeration's raw values; `fallback` when absent or null.
  public func choice<T: RawRepresentable & CaseIterable>(_ key: String, default fallback: T) throws -> T
  where T.RawValue == String {
    let text = try string(key, default: fallback.rawValue)
    guard let value = T(rawValue: text) else {
      throw fail(key, "one of " + T.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))
    }
    return value
  }

  /// An integer or a list of integers, as a list; `nil` when absent or null.
  public func intList(_ key: String) throws -> [Int]? {
    guard has(key), let value = values[key] else { return nil }
    if let single = value.intValue { return [single] }
    guard case .array(let items) = value else { throw fail(key, "an integer or a list of integers") }
    return try items.map { item in
      guard let number = item.intValue else { throw fail(key, "an integer or a list of integers") }
      return number
    }
  }

  /// A size or a list of sizes (see ``size(_:default:)``), as a list; `nil` when absent or null.
  public func sizeList(_ key: String) throws -> [Int]? {
    let list = try intList(key)
    for value in list ?? [] { try requireSize(value, key) }
    return list
  }

  /// A list of size lists, each of `width` sizes (e.g. `[[32, 8, 4], [64, 4, 2]]`); `nil` when
  /// absent or null.
  public func sizeRows(_ key: String, width: Int) throws -> [[Int]]? {
    let rows = try intRows(key, width: width)
    for value in (rows ?? []).joined() { try requireSize(value, key) }
    return rows
  }

  /// A list of integer lists, each of `width` entries; `nil` when absent or null.
  private func intRows(_ key: String, width: Int) throws -> [[Int]]? {
    guard has(key), let value = values[key] else { return nil }
    let allowed = "a list of \(width)-integer lists"
    guard case .array(let rows) = value else { throw fail(key, allowed) }
    return try rows.map { row in
      guard case .array(let items) = row, items.count == width else { throw fail(key, allowed) }
      return try items.map { item in
        guard let number = item.intValue else { throw fail(key, allowed) }
        return number
      }
    }
  }

  /// A kernel shape or stride: one size or `[height, width]`; `fallback` when absent or null.
  public func extent(_ key: String, default fallback: Extent2D? = nil) throws -> Extent2D {
    guard let list = try sizeList(key) else {
      if let fallback { return fallback }
      throw fail(key, "an integer or [height, width]")
    }
    guard let extent = Extent2D(list) else { throw fail(key, "an integer or [height, width]") }
    return extent
  }

  /// A nested object, or `nil` when absent or null.
  public func nested(_ key: String) throws -> CaseConfig? {
    guard has(key) else { return nil }
    guard case .object(let object) = values[key] else { throw fail(key, "an object") }
    return CaseConfig(
      values: object, context: "\(context)\(key).", sizeLimit: sizeLimit, countLimit: countLimit)
  }

  /// A nested object; `fallback` (JSON) when absent or null.
  public func nested(_ key: String, default fallback: String) throws -> CaseConfig {
    if let nested = try nested(key) { return nested }
    return try CaseConfig(
      json: fallback, context: "\(context)\(key).", sizeLimit: sizeLimit, countLimit: countLimit)
  }

  /// Throws if the config has a key that no getter asked for.
  public func finish() throws {
    let unknown = Set(values.keys).subtracting(read).sorted()
    guard unknown.isEmpty else {
      throw ConformanceError.badConfig(
        "unknown config key\(unknown.count > 1 ? "s" : "") \(unknown.map { context + $0 }.joined(separator: ", "))"
      )
    }
  }
}
