import Testing

@testable import FTWEnvironments

@Suite struct ActionSpecTests {
  let spec = CaptureTheFlag.actionSpec

  @Test func captureTheFlagHasThePapersDecomposition() {
    #expect(spec.componentCounts == [3, 3, 5, 2])
    #expect(spec.flatCount == 90)
  }

  @Test func flatIndicesAndComponentsAreInverse() throws {
    var seen = Set<[Int]>()
    for flat in 0..<spec.flatCount {
      let components = try spec.components(ofFlatIndex: flat)
      #expect(try spec.flatIndex(of: components) == flat)
      seen.insert(components)
    }
    #expect(seen.count == 90)
    #expect(try spec.components(ofFlatIndex: 89) == [2, 2, 4, 1])
    #expect(try spec.components(ofFlatIndex: 1) == [0, 0, 0, 1])
  }

  @Test func outOfRangeActionsAreRefused() {
    #expect(throws: EnvironmentError.self) { try spec.components(ofFlatIndex: 90) }
    #expect(throws: EnvironmentError.self) { try spec.components(ofFlatIndex: -1) }
    #expect(throws: EnvironmentError.self) { try spec.flatIndex(of: [0, 0, 5, 0]) }
    #expect(throws: EnvironmentError.self) { try CTFAction(components: [0, 0, 0]) }
  }

  @Test func actionsMapToComponentsAndBack() throws {
    for flat in 0..<spec.flatCount {
      let components = try spec.components(ofFlatIndex: flat)
      #expect(try CTFAction(components: components).components == components)
    }
    #expect(CTFAction(move: 1, turn: -2, tag: true).components == [2, 1, 0, 1])
    #expect(CTFAction.none.components == [1, 1, 2, 0])
  }
}
