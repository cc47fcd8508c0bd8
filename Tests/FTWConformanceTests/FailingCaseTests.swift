import FTWConformance
import FTWLayers
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

/// A case that is wrong, incomplete or unknown fails with a message saying why, never a crash.
@Suite struct FailingCaseTests {
  @Test func aWrongReferenceValueFails() throws {
    var file = try Fixtures.file("primitive_linear.safetensors")
    var y = try file.tensor("outputs/y").scalars
    y[3] += 0.01
    file.set("outputs/y", Tensor(shape: [4, 5], scalars: y))
    let result = Fixtures.runner.run(file, name: "case")
    #expect(!result.passed)
    #expect(result.failure?.hasPrefix("output y off by") == true)
    #expect(result.line.contains("FAIL (output y off by"))
  }

  @Test func aWrongReferenceGradientFails() throws {
    var file = try Fixtures.file("primitive_lstm.safetensors")
    file.set("grads/params/_w_h", try file.tensor("grads/params/_w_h") * 1.01)
    let result = Fixtures.runner.run(file, name: "case")
    #expect(result.failure?.hasPrefix("gradient params/_w_h off by") == true)
  }

  @Test func missingAndUnknownPiecesFail() throws {
    let original = try Fixtures.file("primitive_linear.safetensors")
    func failure(_ file: SafetensorsFile) -> String? { Fixtures.runner.run(file, name: "case").failure }
    var extra = original
    extra.set("params/unknown", Tensor(zeros: [1]))
    #expect(failure(extra)?.contains("no parameter 'unknown'") == true)
    var badConfig = original
    badConfig.metadata["config"] = #"{"output_size": 5, "with_bias": true, "colour": "red"}"#
    #expect(failure(badConfig) == "bad config: unknown config key colour")
    badConfig.metadata["config"] = #"{"output_size": true}"#
    #expect(failure(badConfig) == "bad config: output_size must be an integer, got true")
    var unknownKind = original
    unknownKind.metadata["module"] = "Teleporter"
    #expect(failure(unknownKind) == "not implemented: module kind 'Teleporter'")
  }

  @Test func convolutionConfigsOutsideTheImageFail() throws {
    var file = try Fixtures.file("primitive_conv2d_0.safetensors")
    file.metadata["config"] = #"{"output_channels": 5, "kernel_shape": 11, "padding": "VALID"}"#
    #expect(Fixtures.runner.run(file, name: "case").failure?.contains("does not fit") == true)
    file.metadata["config"] = #"{"output_channels": 5, "kernel_shape": 4, "padding": "FULL"}"#
    #expect(
      Fixtures.runner.run(file, name: "case").failure
        == "bad config: padding must be one of 'SAME', 'VALID', got \"FULL\"")
  }

  @Test func unreadableFilesFail() throws {
    let results = try withTemporaryFolder { folder in
      try Data([1, 2, 3]).write(to: folder.appendingPathComponent("broken.safetensors"))
      return try Fixtures.runner.run(directory: folder)
    }
    #expect(results.count == 1)
    #expect(results[0].failure?.contains("truncated") == true)
  }
}
