import FTWConformance
import FTWLayers
import Foundation
import Testing

/// A case's configuration is untrusted input. Each number in the configuration of every case is
/// replaced in turn by a value from the edges of what JSON can say (zero, negative, 2^31, 10^12,
/// a fraction, a list, null); every run must end in a result, PASS or FAIL, never a trap or an
/// abort, and a refusal names the key it refuses. (Every kind has a case: see
/// ``ReferenceCaseTests``.)
@Suite struct ConfigMutationTests {
  static let replacements: [JSONValue] = [
    .int(0), .int(-1), .int(1 << 31), .int(-(1 << 31) - 1), .int(1_000_000_000_000), .int(.max),
    .double(0.5), .double(-0.5), .double(1e300), .array([.int(1), .int(2)]), .null,
  ]

  @Test(arguments: Fixtures.cases)
  func mutatedNumbersFailOrPassButNeverCrash(_ path: String) throws {
    let original = try Fixtures.file(path)
    let config = try Self.config(of: original)
    var mutations = Self.numberPaths(in: config).flatMap { keyPath in
      Self.replacements.map { (keyPath, $0, Self.replacing(keyPath, in: config, with: $0)) }
    }
    // A key the kind does not know, holding a number.
    if case .object(var fields) = config {
      fields["unknown_number"] = .int(1 << 31)
      mutations.append((["unknown_number"], .int(1 << 31), .object(fields)))
    }
    for (keyPath, value, mutated) in mutations {
      var file = original
      file.metadata["config"] = mutated.description
      let result = Fixtures.runner.run(file, name: path)
      let key = keyPath.last { Int($0) == nil } ?? ""
      #expect(result.line.hasSuffix("PASS") || result.line.contains("FAIL ("), "\(path) \(key) = \(value)")
      if let failure = result.failure, failure.hasPrefix("bad config") {
        #expect(failure.contains(key), "\(path) \(key) = \(value): \(failure)")
      }
    }
  }

  static func config(of file: SafetensorsFile) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data((file.metadata["config"] ?? "{}").utf8))
  }

  /// The paths (object keys and list positions) of every number in `value`.
  static func numberPaths(in value: JSONValue) -> [[String]] {
    switch value {
    case .int, .double: return [[]]
    case .array(let items):
      return items.enumerated().flatMap { index, item in numberPaths(in: item).map { ["\(index)"] + $0 } }
    case .object(let fields):
      return fields.keys.sorted().flatMap { key in numberPaths(in: fields[key]!).map { [key] + $0 } }
    case .null, .bool, .string: return []
    }
  }

  /// `value` with the element at `path` replaced by `replacement`.
  static func replacing(_ path: [String], in value: JSONValue, with replacement: JSONValue) -> JSONValue {
    guard let head = path.first else { return replacement }
    let rest = Array(path.dropFirst())
    switch value {
    case .array(var items):
      let index = Int(head)!
      items[index] = replacing(rest, in: items[index], with: replacement)
      return .array(items)
    case .object(var fields):
      fields[head] = replacing(rest, in: fields[head]!, with: replacement)
      return .object(fields)
    default:
      return value
    }
  }
}
