import Foundation

/// A run's learning curve as an SVG picture: win rate and captures (and, for a run in a league,
/// the ladder Elo) against frames (top) and against wall-clock minutes (bottom).
///
/// ```swift
/// let svg = LearningCurve(rows: run.metrics()).svg()
/// ```
public struct LearningCurve: Sendable {
  /// The metrics to draw.
  public var rows: [MetricsRow]

  /// Creates a curve of `rows`.
  public init(rows: [MetricsRow]) { self.rows = rows }

  /// The picture.
  public func svg() -> String {
    let columns = rows.contains { $0.ladderElo != nil } ? 3 : 2
    let (width, height) = (450.0 * Double(columns), 560.0)
    let axes: [(String, (MetricsRow) -> Double)] = [
      ("frames", { Double($0.frames) }), ("minutes", { $0.wallSeconds / 60 }),
    ]
    var panels: [ChartPanel] = []
    for (row, (xLabel, x)) in axes.enumerated() {
      for column in 0..<columns {
        let frame = (60.0 + Double(column) * 450, 30.0 + Double(row) * height / 2, 360.0, height / 2 - 80)
        panels.append(panel(column, xLabel: xLabel, x: x, frame: frame))
      }
    }
    return ChartPanel.document(panels, width: width, height: height)
  }

  /// Column `column`'s panel: win rate, captures, or ladder Elo.
  private func panel(
    _ column: Int, xLabel: String, x: (MetricsRow) -> Double,
    frame: (left: Double, top: Double, width: Double, height: Double)
  ) -> ChartPanel {
    switch column {
    case 0:
      var panel = ChartPanel(title: "win rate", xLabel: xLabel, frame: frame, yUpper: 1)
      panel.add(rows.map { (x($0), $0.winRate) }, colour: "#c0392b")
      return panel
    case 1:
      let upper = max(rows.map { max($0.captures, $0.opponentCaptures) }.max() ?? 1, 1)
      var panel = ChartPanel(
        title: "captures per game (agent red, opponent grey)", xLabel: xLabel, frame: frame, yUpper: upper)
      panel.add(rows.map { (x($0), $0.opponentCaptures) }, colour: "#999")
      panel.add(rows.map { (x($0), $0.captures) }, colour: "#c0392b")
      return panel
    default:
      var panel = ChartPanel(title: "ladder Elo (from the league's games)", xLabel: xLabel, frame: frame)
      panel.add(rows.compactMap { row in row.ladderElo.map { (x(row), $0) } }, colour: "#2471a3")
      return panel
    }
  }
}
