import FTWConformance
import FTWLayers
import Foundation

extension FuzzTarget {
  /// A conformance case as `ftw conformance` runs it: the module and its configuration from the
  /// file's metadata, the inputs, parameters and expected outputs from its tensors. Every case,
  /// however malformed, becomes a result.
  static let conformanceCases = FuzzTarget(
    name: "conformance-cases", summary: "conformance cases (ftw conformance), run end to end"
  ) { data in
    guard let file = try? SafetensorsFile(data: data, name: "fuzz") else { return }
    _ = runner.run(file, name: "fuzz")
  }

  private static let runner = ConformanceRunner()
}
