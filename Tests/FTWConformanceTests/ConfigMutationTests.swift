import FTWConformance
import FTWLayers
import Foundation
import Testing

/// A case's configuration is untrusted input. Each number in the configuration of one case of
/// every kind is replaced in turn by a value from the edges of what JSON can say (zero, negative,
/// 2^31, 10^12, a fraction, a list, null); every run must end in a result, PASS or FAIL, never a
/// trap or an abort, and a refusal names the key it refuses.
@Suite struct ConfigMutationTests {
  static let replacements: [JSONValue] = [
    .int(0), .int(-1), .int(1 << 31), .int(-(1 << 31) - 1), .int(1_000_000_000_000), .double(0.5),
    .double(1e300),
    .array([.int(1), .int(2)]), .null,
  ]

  /// The smallest case of each kind (by file size), so that the runs are quick.
  static let cases: [String] = {
    var smallest: [String: (path: String, bytes: Int)] = [:]
    for path in Fixtures.cases {
      let url = Fixtures.root.appendingPathComponent(path)
      guard let kind = try? Fixtures.file(path).metadata["module"],
        let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int
      else { continue }
      if bytes < smallest[kind]?.bytes ?? .max { smallest[kind] = (path, bytes) }
    }
    return smallest.values.map(\.path).sorted()
  }()

  @Test func everyKindIsMutated() throws {
    let kinds = Set(try Self.cases.map { try Fixtures.file($0).metadata["module"] ?? "?" })
    let registered = Set(Fixtures.runner.kinds.keys)
    #expect(
      kinds.symmetricDifference(registered).isEmpty,
      "kinds not mutated: \(registered.symmetricDifference(kinds).sorted())")
  }

  @Test(arguments: cases)
  func mutatedNumbersFailOrPassButNeverCrash(_ path: String) throws {
    let original = try Fixtures.file(path)
    let config = try JSONDecoder().decode(
      JSONValue.self, from: Data((original.metadata["config"] ?? "{}").utf8))
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
