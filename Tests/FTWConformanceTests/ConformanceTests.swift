import FTWConformance
import FTWLayers
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

/// The fixtures copied from the reference: the shared cases, and extra configurations computed by
/// the same reference stack (`Scripts/make_extra_fixtures.py`).
enum Fixtures {
  static let root = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
  static let runner = ConformanceRunner()

  static func cases(in folder: String) -> [String] {
    let url = folder.isEmpty ? root : root.appendingPathComponent(folder)
    return ((try? runner.caseFiles(in: url)) ?? []).map {
      folder.isEmpty ? $0.lastPathComponent : "\(folder)/\($0.lastPathComponent)"
    }
  }

  static func kind(of path: String) throws -> String {
    try SafetensorsFile(contentsOf: root.appendingPathComponent(path)).metadata["module"] ?? "?"
  }
}

@Suite struct ConformanceTests {
  @Test func fixturesArePresent() {
    #expect(Fixtures.cases(in: "").count == 28)
    #expect(Fixtures.cases(in: "extra").count == 30)
    #expect(Fixtures.cases(in: "training").count == 8)
    #expect(Fixtures.cases(in: "extra/training").count == 10)
  }

  /// Every case of an implemented kind passes; every other case fails loudly as not implemented.
  @Test(
    arguments: Fixtures.cases(in: "") + Fixtures.cases(in: "extra") + Fixtures.cases(in: "training")
      + Fixtures.cases(in: "extra/training"))
  func referenceCase(_ path: String) throws {
    let result = Fixtures.runner.run(file: Fixtures.root.appendingPathComponent(path))
    let kind = try Fixtures.kind(of: path)
    if Fixtures.runner.kinds[kind] != nil {
      #expect(result.passed, "\(result.line)")
    } else {
      #expect(result.failure == "not implemented: module kind '\(kind)'")
    }
  }

  @Test func theSixPrimitiveCasesAreImplemented() {
    let primitives = Fixtures.cases(in: "").filter { $0.hasPrefix("primitive_") }
    #expect(primitives.count == 6)
    for path in primitives {
      #expect(Fixtures.runner.run(file: Fixtures.root.appendingPathComponent(path)).passed, "\(path)")
    }
  }

  @Test func aWrongReferenceValueFails() throws {
    var file = try SafetensorsFile(
      contentsOf: Fixtures.root.appendingPathComponent("primitive_linear.safetensors"))
    var y = try file.tensor("outputs/y").scalars
    y[3] += 0.01
    file.set("outputs/y", Tensor(shape: [4, 5], scalars: y))
    let result = try run(file)
    #expect(!result.passed)
    #expect(result.failure?.hasPrefix("output y off by") == true)
    #expect(result.line.contains("FAIL (output y off by"))
  }

  @Test func aWrongReferenceGradientFails() throws {
    var file = try SafetensorsFile(
      contentsOf: Fixtures.root.appendingPathComponent("primitive_lstm.safetensors"))
    file.set("grads/params/_w_h", try file.tensor("grads/params/_w_h") * 1.01)
    let result = try run(file)
    #expect(result.failure?.hasPrefix("gradient params/_w_h off by") == true)
  }

  @Test func missingAndUnknownPiecesFail() throws {
    let original = try SafetensorsFile(
      contentsOf: Fixtures.root.appendingPathComponent("primitive_linear.safetensors"))
    var extra = original
    extra.set("params/unknown", Tensor(zeros: [1]))
    #expect(try run(extra).failure?.contains("no parameter 'unknown'") == true)
    var badConfig = original
    badConfig.metadata["config"] = #"{"output_size": 5, "with_bias": true, "colour": "red"}"#
    #expect(try run(badConfig).failure == "bad config: unknown config key colour")
    badConfig.metadata["config"] = #"{"output_size": true}"#
    #expect(try run(badConfig).failure == "bad config: output_size must be an integer, got true")
    badConfig.metadata["config"] = #"{"output_size": 0}"#
    #expect(try run(badConfig).failure == "Linear: output_size must be positive, got 0")
    var unknownKind = original
    unknownKind.metadata["module"] = "Teleporter"
    #expect(try run(unknownKind).failure == "not implemented: module kind 'Teleporter'")
  }

  @Test func convolutionConfigsOutsideTheImageFail() throws {
    var file = try SafetensorsFile(
      contentsOf: Fixtures.root.appendingPathComponent("primitive_conv2d_0.safetensors"))
    file.metadata["config"] = #"{"output_channels": 5, "kernel_shape": 40, "padding": "VALID"}"#
    #expect(try run(file).failure?.contains("does not fit") == true)
    file.metadata["config"] = #"{"output_channels": 5, "kernel_shape": 4, "padding": "FULL"}"#
    #expect(try run(file).failure == "bad config: padding must be one of 'SAME', 'VALID', got \"FULL\"")
  }

  @Test func unreadableFilesFail() throws {
    let results = try withTemporaryFolder { folder in
      try Data([1, 2, 3]).write(to: folder.appendingPathComponent("broken.safetensors"))
      return try Fixtures.runner.run(directory: folder)
    }
    #expect(results.count == 1)
    #expect(results[0].failure?.contains("truncated") == true)
  }

  @Test func configParsing() throws {
    let config = try CaseConfig(json: #"{"a": 1, "b": [2, 3], "c": true, "d": null, "e": {"f": 2.5}}"#)
    #expect(try config.int("a") == 1)
    #expect(try config.intList("b") == [2, 3])
    #expect(try config.extent("b") == Extent2D(height: 2, width: 3))
    #expect(try config.bool("c", default: false))
    #expect(try config.int("d", default: 7) == 7)
    let nested = try #require(try config.nested("e"))
    #expect(try nested.float("f", default: 0) == 2.5)
    #expect(throws: ConformanceError.badConfig("e.f must be an integer, got 2.5")) { try nested.int("f") }
    try config.finish()
    #expect(throws: ConformanceError.self) { try CaseConfig(json: "[1]") }
  }

  private func run(_ file: SafetensorsFile) throws -> ConformanceResult {
    try withTemporaryFolder { folder in
      let url = folder.appendingPathComponent("case.safetensors")
      try file.write(to: url)
      return Fixtures.runner.run(file: url)
    }
  }
}
