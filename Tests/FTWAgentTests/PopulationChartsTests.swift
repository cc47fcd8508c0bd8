import FTWAgent
import FTWAgentTestSupport
import FTWEnvironments
import FTWTestSupport
import Foundation
import Testing

/// Charts drawn from damaged population logs (inputs the fuzzer found crashing them, in
/// `Fuzz/Regressions/population-logs`): damaged rows are left out, nothing traps.
@Suite struct PopulationChartsTests {
  private func withRun(_ body: (PopulationRun) throws -> Void) throws {
    try withTemporaryFolder { folder in
      let url = folder.appendingPathComponent("run")
      try body(
        try PopulationRun.create(at: url, configuration: tinyConfiguration(), population: tinyPopulation()))
    }
  }

  @Test func aValuesFileWithTooFewColumnsDrawsNoLines() throws {
    try withRun { run in
      let rows = "wall_seconds,frames,member\n2.9,4800,0\n5.5,9600,1\n"
      try Data(rows.utf8).write(to: run.valuesURL)
      #expect(run.table(run.valuesURL).count == 2)
      #expect(!PopulationCharts(run: run).valuesSVG().contains("<polyline"))
    }
  }

  @Test func valuesRowsOfNoMemberAreLeftOut() throws {
    try withRun { run in
      let columns = 4 + EvolvedValues.names.count
      let header = (0..<columns).map { "c\($0)" }.joined(separator: ",")
      func row(member: String) -> String {
        (["1", "10", member] + Array(repeating: "1", count: columns - 3)).joined(separator: ",")
      }
      try Data(
        [header, row(member: "nan"), row(member: "1e300"), row(member: "-1"), row(member: "0.5")].joined(
          separator: "\n"
        ).utf8
      )
      .write(to: run.valuesURL)
      #expect(run.table(run.valuesURL).count == 4)
      #expect(!PopulationCharts(run: run).valuesSVG().contains("<polyline"))
    }
  }

  @Test func anEvolutionOfANegativeMemberIsDrawn() throws {
    try withRun { run in
      let ratings =
        "wall_seconds,frames,frames_per_second,games,evolutions,rating_0\n0,1,1,0,0,1000\n60,2,1,0,0,1100\n"
      try Data(ratings.utf8).write(to: run.ratingsURL)
      var seeds = SplitMix64(seed: 1)
      let values = String(
        decoding: try JSONEncoder().encode(
          EvolvedValues.sample(from: tinyConfiguration(), spread: 2, seeds: &seeds)),
        as: UTF8.self)
      let event = """
        {"wallSeconds": 30, "frames": 1, "member": -3, "donor": 1, "memberRating": 1000, "donorRating": 1050,
         "donorWinProbability": 0.57, "generation": 1, "before": \(values), "after": \(values)}
        """
      try run.log(try JSONDecoder().decode(EvolutionEvent.self, from: Data(event.utf8)))
      #expect(run.evolutions().map(\.member) == [-3])
      #expect(PopulationCharts(run: run).ratingsSVG().contains("<circle"))
    }
  }
}
