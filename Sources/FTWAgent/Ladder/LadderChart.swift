import Foundation

extension LadderEvaluation {
  /// A picture of the rating: the agent's score against each rung (dots, with the rung's name and
  /// games) at the rung's Elo, the score its rating predicts (the curve), and the rating with its
  /// 95% interval (the band).
  public func svg() -> String {
    let (left, top, width, height) = (70.0, 40.0, 620.0, 260.0)
    let highest = max(rungs.map(\.elo).max() ?? 0, interval.upperBound, 100) * 1.08
    let lowest = min(0, interval.lowerBound)
    func x(_ elo: Double) -> Double { left + (elo - lowest) / (highest - lowest) * width }
    func y(_ score: Double) -> Double { top + height - score * height }
    var body = """
      <rect x="\(left)" y="\(top)" width="\(width)" height="\(height)" fill="none" stroke="#999"/>
      <text x="\(left)" y="\(top - 14)" font-size="14">ladder Elo \(Int(rating.rounded())) \
      (95%: \(Int(interval.lowerBound.rounded()))-\(Int(interval.upperBound.rounded())))</text>
      <text x="\(left - 8)" y="\(top + 4)" font-size="11" text-anchor="end">100%</text>
      <text x="\(left - 8)" y="\(top + height)" font-size="11" text-anchor="end">0%</text>
      <text x="\(left - 50)" y="\(top + height / 2)" font-size="12">score</text>
      <text x="\(left + width)" y="\(top + height + 44)" font-size="12" text-anchor="end">the bots' Elo</text>
      <rect x="\(x(interval.lowerBound))" y="\(top)" width="\(x(interval.upperBound) - x(interval.lowerBound))" \
      height="\(height)" fill="#c0392b" fill-opacity="0.12"/>
      <line x1="\(x(rating))" y1="\(top)" x2="\(x(rating))" y2="\(top + height)" stroke="#c0392b"/>

      """
    let curve = stride(from: lowest, through: highest, by: (highest - lowest) / 100).map { elo in
      String(format: "%.1f,%.1f", x(elo), y(EloFit.expectedScore(rating, elo)))
    }
    body += "<polyline fill=\"none\" stroke=\"#999\" points=\"\(curve.joined(separator: " "))\"/>\n"
    for (index, rung) in rungs.enumerated() {
      let result = rung.result
      let score = result.score
      let labelY = top + height + 16 + Double(index % 2) * 13
      body += """
        <circle cx="\(x(rung.elo))" cy="\(y(score))" r="\(3 + min(6, Double(result.games).squareRoot() / 2))" \
        fill="#2471a3" fill-opacity="0.7"/>
        <text x="\(x(rung.elo))" y="\(labelY)" font-size="11" text-anchor="middle">\(rung.bot.rawValue) \
        \(Int(rung.elo.rounded())) (\(result.games))</text>

        """
    }
    return ChartPanel.document([], width: left + width + 30, height: top + height + 60, extra: body)
  }
}
