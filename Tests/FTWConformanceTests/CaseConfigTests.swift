import FTWConformance
import FTWLayers
import Testing

@Suite struct CaseConfigTests {
  @Test func readsEachKindOfValue() throws {
    let config = try CaseConfig(
      json: #"{"a": 1, "b": [2, 3], "c": true, "d": null, "e": {"f": 2.5}}"#, sizeLimit: 8, countLimit: 4)
    #expect(try config.size("a") == 1)
    #expect(try config.sizeList("b") == [2, 3])
    #expect(try config.extent("b") == Extent2D(height: 2, width: 3))
    #expect(try config.bool("c", default: false))
    #expect(try config.size("d", default: 7) == 7)
    let nested = try #require(try config.nested("e"))
    #expect(try nested.float("f", default: 0) == 2.5)
    #expect(throws: ConformanceError.badConfig("e.f must be an integer, got 2.5")) { try nested.int("f") }
    try config.finish()
    #expect(throws: ConformanceError.self) { try CaseConfig(json: "[1]", sizeLimit: 1, countLimit: 1) }
  }

  /// Sizes are bounded by the largest extent of the case's tensors, counts by how many it has.
  @Test func sizesAndCountsOutsideTheCaseAreRefused() throws {
    let config = try CaseConfig(
      json:
        #"{"big": 2147483648, "zero": 0, "negative": -3, "rows": [[4, 9, 1]], "list": [2, 0], "steps": 5}"#,
      sizeLimit: 8, countLimit: 4)
    let sizeRule = "must be a size in 1...8 (the largest extent of the case's tensors)"
    #expect(throws: ConformanceError.badConfig("big \(sizeRule), got 2147483648")) { try config.size("big") }
    #expect(throws: ConformanceError.badConfig("zero \(sizeRule), got 0")) { try config.size("zero") }
    #expect(throws: ConformanceError.badConfig("negative \(sizeRule), got -3")) {
      try config.extent("negative")
    }
    #expect(throws: ConformanceError.badConfig("rows \(sizeRule), got 9")) {
      try config.sizeRows("rows", width: 3)
    }
    #expect(throws: ConformanceError.badConfig("list \(sizeRule), got 0")) { try config.sizeList("list") }
    #expect(
      throws: ConformanceError.badConfig("steps must be an integer in 0...4 (the case has 4 tensors), got 5")
    ) { try config.count("steps") }
    #expect(
      throws: ConformanceError.badConfig(
        "negative must be an integer in 0...4 (the case has 4 tensors), got -3")
    ) {
      try config.count("negative")
    }
  }
}
