import FTWConformance
import FTWLayers
import Foundation
import Testing

/// Every fixture passes: its outputs and gradients match the reference's within the tolerances.
/// A fixture whose kind is not in the registry fails here, as a case whose numbers are off does.
@Suite struct ReferenceCaseTests {
  @Test(arguments: Fixtures.cases)
  func referenceCase(_ path: String) {
    let result = Fixtures.runner.run(file: Fixtures.root.appendingPathComponent(path))
    #expect(result.passed, "\(result.line)")
  }

  /// The fixtures and the registry describe the same kinds: no kind without a case to check it,
  /// and (with the test above) no case without a kind.
  @Test func everyRegisteredKindHasACase() throws {
    let kinds = Set(try Fixtures.cases.map { try Fixtures.file($0).metadata["module"] ?? "?" })
    let registered = Set(Fixtures.runner.kinds.keys)
    #expect(
      registered.subtracting(kinds).isEmpty,
      "registered kinds without a case: \(registered.subtracting(kinds).sorted())")
    #expect(
      kinds.subtracting(registered).isEmpty,
      "cases of kinds not registered: \(kinds.subtracting(registered).sorted())")
  }

  /// What `ftw conformance --recursive` runs: the cases of every subfolder, named by their path.
  @Test func aFolderRunsRecursivelyWithCasesNamedByPath() throws {
    let results = try Fixtures.runner.run(directory: Fixtures.root, filter: "rmsprop", recursive: true)
    #expect(results.map(\.name) == ["extra/training/extra_rmsprop_centered_momentum", "training/rmsprop"])
    #expect(results.allSatisfy { $0.passed })
    #expect(try Fixtures.runner.run(directory: Fixtures.root, filter: "rmsprop").isEmpty)
  }
}
