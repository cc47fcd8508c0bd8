import Foundation

/// A run's learning curve as an SVG picture: win rate and captures against frames (top) and
/// against wall-clock minutes (bottom).
public struct LearningCurve: Sendable {
  /// The metrics to draw.
  public var rows: [MetricsRow]

  /// Creates a curve of `rows`.
  public init(rows: [MetricsRow]) { self.rows = rows }

  /// The picture.
  public func svg() -> String {
    let width = 900.0
    let height = 560.0
    var body = ""
    let panels: [(String, (MetricsRow) -> Double, String, (MetricsRow) -> Double, Double?)] = [
      ("frames", { Double($0.frames) }, "win rate", \.winRate, 1),
      ("frames", { Double($0.frames) }, "captures per game (agent red, opponent grey)", \.captures, nil),
      ("minutes", { $0.wallSeconds / 60 }, "win rate", \.winRate, 1),
      ("minutes", { $0.wallSeconds / 60 }, "captures per game (agent red, opponent grey)", \.captures, nil),
    ]
    for (index, panel) in panels.enumerated() {
      let left = 60.0 + Double(index % 2) * width / 2
      let top = 30.0 + Double(index / 2) * height / 2
      let plotWidth = width / 2 - 90
      let plotHeight = height / 2 - 80
      let xs = rows.map(panel.1)
      let ys = rows.map(panel.3)
      let others = index % 2 == 1 ? rows.map(\.opponentCaptures) : []
      let xMax = max(xs.max() ?? 1, 1e-9)
      let yMax = panel.4 ?? max((ys + others).max() ?? 1, 1)
      func point(_ x: Double, _ y: Double) -> String {
        String(format: "%.1f,%.1f", left + x / xMax * plotWidth, top + plotHeight - y / yMax * plotHeight)
      }
      body += """
        <rect x="\(left)" y="\(top)" width="\(plotWidth)" height="\(plotHeight)" fill="none" stroke="#999"/>
        <text x="\(left)" y="\(top - 8)" font-size="13">\(panel.2)</text>
        <text x="\(left + plotWidth)" y="\(top + plotHeight + 30)" font-size="12" text-anchor="end">\(panel.0)</text>
        <text x="\(left - 6)" y="\(top + 4)" font-size="11" text-anchor="end">\(format(yMax))</text>
        <text x="\(left - 6)" y="\(top + plotHeight)" font-size="11" text-anchor="end">0</text>
        <text x="\(left + plotWidth)" y="\(top + plotHeight + 15)" font-size="11" text-anchor="end">\(format(xMax))</text>

        """
      if !others.isEmpty {
        body += polyline(zip(xs, others).map { point($0, $1) }, colour: "#999")
      }
      body += polyline(zip(xs, ys).map { point($0, $1) }, colour: "#c0392b")
    }
    return """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
      font-family="sans-serif">
      <rect width="100%" height="100%" fill="white"/>
      \(body)</svg>

      """
  }

  private func polyline(_ points: [String], colour: String) -> String {
    guard !points.isEmpty else { return "" }
    return
      "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(points.joined(separator: " "))\"/>\n"
  }

  private func format(_ value: Double) -> String {
    value >= 1_000_000
      ? String(format: "%.1fM", value / 1e6)
      : value >= 1000 ? String(format: "%.0fk", value / 1e3) : String(format: "%.2g", value)
  }
}
