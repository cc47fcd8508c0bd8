import FTWReverb
import Testing

@Suite struct ReverbTablesTests {
  @Test func eachMemberHasItsOwnTables() {
    #expect(
      ReverbTables.required(members: 2) == ["trajectories_0", "weights_0", "trajectories_1", "weights_1"])
    let all = ReverbTables.all(members: 3)
    #expect(all.count == 15 && Set(all).count == 15)
    #expect(Set(ReverbTables.required(members: 3)).isSubset(of: all))
  }
}
