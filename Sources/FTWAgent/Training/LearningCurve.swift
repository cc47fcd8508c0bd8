import Foundation

/// A run's learning curve as an SVG picture: win rate and captures against frames (top) and
/// against wall-clock minutes (bottom).
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
    let (width, height) = (900.0, 560.0)
    let axes: [(String, (MetricsRow) -> Double)] = [
      ("frames", { Double($0.frames) }), ("minutes", { $0.wallSeconds / 60 }),
    ]
    var panels: [ChartPanel] = []
    for (row, (xLabel, x)) in axes.enumerated() {
      for column in 0..<2 {
        let frame = (
          60.0 + Double(column) * width / 2, 30.0 + Double(row) * height / 2, width / 2 - 90, height / 2 - 80
        )
        if column == 0 {
          var panel = ChartPanel(title: "win rate", xLabel: xLabel, frame: frame, yUpper: 1)
          panel.add(rows.map { (x($0), $0.winRate) }, colour: "#c0392b")
          panels.append(panel)
        } else {
          let upper = max(rows.map { max($0.captures, $0.opponentCaptures) }.max() ?? 1, 1)
          var panel = ChartPanel(
            title: "captures per game (agent red, opponent grey)", xLabel: xLabel, frame: frame, yUpper: upper
          )
          panel.add(rows.map { (x($0), $0.opponentCaptures) }, colour: "#999")
          panel.add(rows.map { (x($0), $0.captures) }, colour: "#c0392b")
          panels.append(panel)
        }
      }
    }
    return ChartPanel.document(panels, width: width, height: height)
  }
}
