import FTWEnvironments
import FTWLayers
import Foundation

/// A population run's pictures, drawn from its logs: `ratings.svg`, every member's Elo rating
/// against minutes of training (one colour per member, a dot where it copied another), and
/// `evolved-values.svg`, how the evolved values move: the learning rate, entropy cost and
/// slow-core period, and every internal-reward weight, one line per member (the paper's figure
/// of evolved rewards).
///
/// ```swift
/// try PopulationCharts(run: run).draw()
/// ```
public struct PopulationCharts: Sendable {
  /// The run whose logs are drawn.
  public var run: PopulationRun

  /// Charts of `run`.
  public init(run: PopulationRun) { self.run = run }

  /// Writes both pictures (atomically).
  public func draw() throws {
    try AtomicFile.write(Data(ratingsSVG().utf8), to: run.ratingsChartURL)
    try AtomicFile.write(Data(valuesSVG().utf8), to: run.valuesChartURL)
  }

  /// The ratings picture.
  public func ratingsSVG() -> String {
    let rows = run.table(run.ratingsURL)
    let members = max((rows.first?.count ?? 5) - 5, 0)
    var panel = ChartPanel(
      title: "Elo rating of each member", xLabel: "minutes", frame: (70, 40, 760, 300), fromZero: false)
    for member in 0..<members {
      panel.add(rows.map { ($0[0] / 60, $0[5 + member]) }, colour: colour(member))
    }
    var marks = ""
    if let last = panel.lines.first?.points.last {
      let xMax = max(last.x, 1e-9)
      let ratings = rows.flatMap { $0.dropFirst(5) }
      let (low, high) = (ratings.min() ?? 0, ratings.max() ?? 1)
      for event in run.evolutions() where high > low {
        let x = 70 + event.wallSeconds / 60 / xMax * 760
        let y = 40 + 300 - (event.donorRating - low) / (high - low) * 300
        marks += String(
          format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%@\"/>\n", x, y, colour(event.member))
      }
    }
    return ChartPanel.document([panel], width: 900, height: 400, extra: marks + legend(members, top: 375))
  }

  /// The evolved values picture.
  public func valuesSVG() -> String {
    let names = EvolvedValues.names
    // A damaged file's rows that lack a column or name no member are not drawn.
    let rows = run.table(run.valuesURL).filter { row in
      row.count == 4 + names.count && Int(exactly: row[2]).map { $0 >= 0 } == true
    }
    let members = Set(rows.map { Int($0[2]) }).count
    var shown: [(name: String, column: Int, logarithmic: Bool)] = [
      ("learning rate", 4, true), ("entropy cost", 5, true), ("slow-core period", 6, false),
    ]
    for event in EvolvedValues.evolvingEvents {
      shown.append(("reward: \(event.name)", 4 + names.firstIndex(of: "reward_\(event.name)")!, false))
    }
    let columns = 4
    let (cellWidth, cellHeight) = (230.0, 150.0)
    var panels: [ChartPanel] = []
    for (index, value) in shown.enumerated() {
      let frame = (
        60.0 + Double(index % columns) * cellWidth, 30.0 + Double(index / columns) * cellHeight,
        cellWidth - 80,
        cellHeight - 70
      )
      var panel = ChartPanel(
        title: value.name, xLabel: "minutes", frame: frame, logarithmic: value.logarithmic)
      for member in 0..<members {
        panel.add(
          rows.filter { Int($0[2]) == member }.map { ($0[0] / 60, $0[value.column]) }, colour: colour(member))
      }
      panels.append(panel)
    }
    let height = 30 + Double((shown.count + columns - 1) / columns) * cellHeight + 30
    return ChartPanel.document(
      panels, width: 60 + Double(columns) * cellWidth, height: height,
      extra: legend(members, top: height - 15))
  }

  private func colour(_ member: Int) -> String {
    ChartPanel.palette[
      (member % ChartPanel.palette.count + ChartPanel.palette.count) % ChartPanel.palette.count]
  }

  private func legend(_ members: Int, top: Double) -> String {
    (0..<members).map { member in
      String(
        format: "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\" fill=\"%@\">member %d</text>\n",
        70 + Double(member) * 90,
        top, colour(member), member)
    }.joined()
  }
}
