import FTWAgent
import Testing

@Suite struct PolicyLagTests {
  @Test func itSummarisesTheLatestStepsOnly() {
    var lag = PolicyLag(steps: 4)
    #expect(lag.isEmpty && lag.median == 0 && lag.maximum == 0 && lag.clippedShare == 0)
    lag.add(lag: 3, clippedShare: 0.5)
    #expect(lag.median == 3 && lag.maximum == 3 && lag.clippedShare == 0.5)
    lag.add(lag: 1, clippedShare: 0)
    #expect(lag.median == 2 && lag.clippedShare == 0.25)
    for step in [9, 2, 2] { lag.add(lag: step, clippedShare: 1) }
    // The window holds 1, 9, 2, 2 now: the first 3 fell out.
    #expect(lag.median == 2 && lag.maximum == 9 && lag.clippedShare == 0.75)
  }

  @Test func weightsNewerThanTheLearnersCountAsNoLag() {
    var lag = PolicyLag(steps: 10)
    lag.add(lag: -5, clippedShare: 0)
    #expect(lag.median == 0 && lag.maximum == 0)
  }
}
