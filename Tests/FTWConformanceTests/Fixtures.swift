import FTWConformance
import FTWLayers
import Foundation

/// The fixtures copied from the reference: the shared cases (`Fixtures`, `Fixtures/training`), and
/// extra configurations computed by the same reference stack (`Fixtures/extra`, `extra/training`;
/// `Scripts/make_extra_fixtures.py`).
enum Fixtures {
  static let root = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
  static let runner = ConformanceRunner()

  /// Every case, as a path under `root`.
  static let cases = (try? runner.casePaths(in: root, recursive: true)) ?? []

  /// The case at `path`, read.
  static func file(_ path: String) throws -> SafetensorsFile {
    try SafetensorsFile(contentsOf: root.appendingPathComponent(path))
  }
}
