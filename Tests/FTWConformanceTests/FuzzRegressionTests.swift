import FTWConformance
import Foundation
import Testing

/// Cases the fuzzer made that crashed `ftw conformance` (kept in `Fuzz/Regressions/conformance-cases`,
/// which the fuzz script also runs as seeds): each now ends in a failed result that says why.
@Suite struct FuzzRegressionTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Fuzz/Regressions/conformance-cases").standardized

  private func failure(_ name: String) -> String? {
    Fixtures.runner.run(file: Self.folder.appendingPathComponent(name)).failure
  }

  @Test func aKLDivergenceWhoseScaleHasAnotherShapeFails() {
    #expect(
      failure("kl-divergence-scale-of-another-shape.safetensors")?.contains(
        "input 'scale_q' has shape [3], needs [3, 4]") == true)
  }
}
