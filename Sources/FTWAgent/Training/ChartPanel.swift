import Foundation

/// One panel of an SVG chart: a frame, a title, axis limits and lines, the pictures of a run
/// (``LearningCurve``, ``PopulationCharts``) are made of.
///
/// ```swift
/// var panel = ChartPanel(title: "rating", xLabel: "minutes", frame: (60, 30, 380, 200))
/// panel.add([(0, 1000), (5, 1040)], colour: "#c0392b")
/// let svg = ChartPanel.document([panel], width: 900, height: 300)
/// ```
public struct ChartPanel: Sendable {
  /// A line: its points and colour.
  public struct Line: Sendable {
    public var points: [(x: Double, y: Double)]
    public var colour: String
  }

  public var title: String
  public var xLabel: String
  /// Left, top, width and height of the plotting area.
  public var frame: (left: Double, top: Double, width: Double, height: Double)
  /// The y axis from 0 to this when set, else from the lines' smallest to largest value.
  public var yUpper: Double?
  /// A logarithmic y axis (for values spanning decades, such as a learning rate).
  public var logarithmic = false
  /// Whether a linear y axis without ``yUpper`` reaches down to 0 (else it spans the lines).
  public var fromZero = true
  public var lines: [Line] = []

  /// An empty panel.
  public init(
    title: String, xLabel: String, frame: (left: Double, top: Double, width: Double, height: Double),
    yUpper: Double? = nil, logarithmic: Bool = false, fromZero: Bool = true
  ) {
    self.title = title
    self.xLabel = xLabel
    self.frame = frame
    self.yUpper = yUpper
    self.logarithmic = logarithmic
    self.fromZero = fromZero
  }

  /// Adds a line.
  public mutating func add(_ points: [(x: Double, y: Double)], colour: String) {
    lines.append(Line(points: points, colour: colour))
  }

  /// The panel's SVG elements.
  public func svg() -> String {
    let all = lines.flatMap(\.points)
    let xMax = max(all.map(\.x).max() ?? 1, 1e-9)
    func scaled(_ y: Double) -> Double { logarithmic ? log10(max(y, 1e-12)) : y }
    var (yLow, yHigh) =
      yUpper.map { (0.0, $0) } ?? (all.map { scaled($0.y) }.min() ?? 0, all.map { scaled($0.y) }.max() ?? 1)
    if yUpper == nil && !logarithmic && fromZero { yLow = min(yLow, 0) }
    if yHigh - yLow < 1e-9 { (yLow, yHigh) = (yLow - 1, yHigh + 1) }
    let (left, top, width, height) = frame
    func point(_ x: Double, _ y: Double) -> String {
      String(
        format: "%.1f,%.1f", left + x / xMax * width,
        top + height - (scaled(y) - yLow) / (yHigh - yLow) * height)
    }
    func label(_ value: Double) -> String { Self.format(logarithmic ? pow(10, value) : value) }
    var body = """
      <rect x="\(left)" y="\(top)" width="\(width)" height="\(height)" fill="none" stroke="#999"/>
      <text x="\(left)" y="\(top - 8)" font-size="13">\(title)</text>
      <text x="\(left + width)" y="\(top + height + 30)" font-size="12" text-anchor="end">\(xLabel)</text>
      <text x="\(left - 6)" y="\(top + 4)" font-size="11" text-anchor="end">\(label(yHigh))</text>
      <text x="\(left - 6)" y="\(top + height)" font-size="11" text-anchor="end">\(label(yLow))</text>
      <text x="\(left + width)" y="\(top + height + 15)" font-size="11" text-anchor="end">\(Self.format(xMax))</text>

      """
    for line in lines where !line.points.isEmpty {
      body +=
        "<polyline fill=\"none\" stroke=\"\(line.colour)\" stroke-width=\"1.5\" points=\""
        + line.points.map { point($0.x, $0.y) }.joined(separator: " ") + "\"/>\n"
    }
    return body
  }

  /// A whole SVG document of `panels` (and any extra elements).
  public static func document(_ panels: [ChartPanel], width: Double, height: Double, extra: String = "")
    -> String
  {
    """
    <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
    font-family="sans-serif">
    <rect width="100%" height="100%" fill="white"/>
    \(panels.map { $0.svg() }.joined())\(extra)</svg>

    """
  }

  /// A short number: 1.5M, 20k, 0.25, -0.5, 3.2e-04.
  public static func format(_ value: Double) -> String {
    let size = abs(value)
    if size >= 1_000_000 { return String(format: "%.1fM", value / 1e6) }
    if size >= 10_000 { return String(format: "%.0fk", value / 1e3) }
    if size >= 1 || size == 0 { return String(format: "%.4g", value) }
    return size >= 0.01 ? String(format: "%.2g", value) : String(format: "%.1e", value)
  }

  /// Distinct colours for several lines.
  public static let palette = [
    "#c0392b", "#2471a3", "#229954", "#d68910", "#7d3c98", "#17a589", "#a04000", "#5d6d7e",
  ]
}
