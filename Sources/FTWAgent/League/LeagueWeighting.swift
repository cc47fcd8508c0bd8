/// How a league shares its games among its opponents, from the agent's recent score against each
/// (wins plus half the draws, over games; 1/2 before any game).
///
/// ```swift
/// LeagueWeighting.even.shares(scores: [0.95, 0.5, 0.1])        // most games to the middle one
/// LeagueWeighting.curriculum.shares(scores: [0.95, 0.5, 0.1])  // most to the first not yet beaten
/// ```
public enum LeagueWeighting: String, Codable, CaseIterable, Sendable {
  /// Prioritised fictitious self-play as AlphaStar weighs it for its main agents' even games:
  /// each opponent in proportion to `p (1 - p)` (`p` the agent's score against it), so that most
  /// games go to opponents the agent beats about half the time; every opponent keeps a floor of
  /// ``floor`` so that none is forgotten.
  case even
  /// A curriculum up the opponents in their order (the ladder's, weakest first): the first whose
  /// score is below ``promotion`` gets ``focus`` of the games, the ones before it share the rest;
  /// once every one is beaten, the last gets ``focus``.
  case curriculum

  /// The least weight of an opponent under ``even``, relative to the largest possible (1/4).
  public static let floor = 0.08
  /// The score against an opponent above which the curriculum moves past it.
  public static let promotion = 0.7
  /// The curriculum's share of games against its current opponent.
  public static let focus = 0.75

  /// Each opponent's share of the games (summing to 1), given the agent's scores against them.
  public func shares(scores: [Double]) -> [Double] {
    guard !scores.isEmpty else { return [] }
    let weights: [Double]
    switch self {
    case .even:
      weights = scores.map { max($0 * (1 - $0), Self.floor / 4) }
    case .curriculum:
      let current = scores.firstIndex { $0 < Self.promotion } ?? scores.count - 1
      let before = Double(current)
      weights = scores.indices.map { index in
        if index == current { return before == 0 ? 1 : Self.focus }
        return index < current ? (1 - Self.focus) / before : 0
      }
    }
    let total = weights.reduce(0, +)
    return weights.map { $0 / total }
  }
}
