import FTWConformance
import FTWLayers
import Foundation

/// The fixtures copied from the reference: the shared cases (`Fixtures`, `Fixtures/training`), and
/// extra configurations computed by the same reference stack (`Fixtures/extra`, `extra/training`;
/// `Scripts/make_extra_fixtures.py`).
enum Fixtures {
  static let root = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
  static let folders = ["", "extra", "training", "extra/training"]
  static let runner = ConformanceRunner()

  /// Every case, as a path under `root`.
  static let cases: [String] = folders.flatMap { folder in
    let url = folder.isEmpty ? root : root.appendingPathComponent(folder)
    return ((try? runner.caseFiles(in: url)) ?? []).map {
      folder.isEmpty ? $0.lastPathComponent : "\(folder)/\($0.lastPathComponent)"
    }
  }

  /// The case at `path`, read.
  static func file(_ path: String) throws -> SafetensorsFile {
    try SafetensorsFile(contentsOf: root.appendingPathComponent(path))
  }
}
