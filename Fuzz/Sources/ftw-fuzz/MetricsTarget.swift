import FTWAgent
import Foundation

extension FuzzTarget {
  /// A run's metrics.csv as a resumed run reads it back: the rows that parse, rewritten (with
  /// TensorBoard's events) and read again, must all come back.
  static let metricsRows = FuzzTarget(
    name: "metrics-rows", summary: "metrics.csv rows read back on resume (and TensorBoard's events)"
  ) { data in
    let rows = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
      MetricsRow(csv: $0)
    }
    for row in rows {
      guard let again = MetricsRow(csv: row.csv[...]) else {
        fatalError("row \(row.csv) does not parse again")
      }
      require(again.frames == row.frames && again.games == row.games, "\(row.csv) parses as another row")
    }
    guard !rows.isEmpty else { return }
    do {
      try metricsRun.writeMetrics(rows)
    } catch {
      fatalError("cannot rewrite \(rows.count) rows: \(error)")
    }
    require(metricsRun.metrics().count == rows.count, "rewritten rows do not all read back")
  }

  /// The run folder the metrics target rewrites.
  private static let metricsRun: RunFolder = {
    let url = ScratchFolder.make("metrics-run")
    try? FileManager.default.removeItem(at: url)
    do {
      return try RunFolder.create(at: url, configuration: TrainingConfiguration())
    } catch {
      fatalError("cannot make a run folder: \(error)")
    }
  }()
}
