import FTWAgent
import Foundation

extension FuzzTarget {
  /// A population run's logs as `--resume` and the charts read them: `population-state.json`,
  /// `evolutions.jsonl`, `ratings.csv` and `values.csv`, one after another in the input, each
  /// ended by a byte 0x01 (the last by the input's end). The state is decoded, the evolutions and
  /// tables read, and both charts drawn.
  static let populationLogs = FuzzTarget(
    name: "population-logs", summary: "a population run's state, evolutions, ratings and values (--resume)"
  ) { data in
    let parts = data.split(separator: 1, maxSplits: 3, omittingEmptySubsequences: false)
    let files = [run.stateURL, run.evolutionsURL, run.ratingsURL, run.valuesURL]
    for (index, file) in files.enumerated() {
      ScratchFolder.write(index < parts.count ? Data(parts[index]) : Data(), to: file)
    }
    _ = try? run.state()
    _ = run.evolutions()
    let charts = PopulationCharts(run: run)
    _ = charts.ratingsSVG()
    _ = charts.valuesSVG()
  }

  /// A population run of the default configurations whose logs every input replaces.
  private static let run: PopulationRun = {
    do {
      let url = ScratchFolder.populationRun("population-logs", withPopulation: true)
      return try PopulationRun.open(at: url).0
    } catch {
      fatalError("cannot open a population run: \(error)")
    }
  }()
}
