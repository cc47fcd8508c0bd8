/// A member's last (up to) 100 games from its side, and what they come to: the progress of a run
/// and its metrics rows report these.
///
/// ```swift
/// var recent = RecentGames()
/// recent.append([GameResult(captures: 2, opponentCaptures: 1)])
/// recent.winRate   // 1.0
/// ```
struct RecentGames {
  /// How many games are kept.
  static let capacity = 100

  private(set) var results: [GameResult] = []

  /// Adds `new`, dropping the oldest past ``capacity``.
  mutating func append(_ new: [GameResult]) { results = Array((results + new).suffix(Self.capacity)) }

  /// Forgets every game (a member that has just copied another is a new player).
  mutating func removeAll() { results = [] }

  /// The fraction won (0 before any game).
  var winRate: Double { Double(results.filter(\.isWin).count) / count }
  /// The member's team's mean captures.
  var captures: Double { Double(results.map(\.captures).reduce(0, +)) / count }
  /// The other team's mean captures.
  var opponentCaptures: Double { Double(results.map(\.opponentCaptures).reduce(0, +)) / count }
  /// The member's team's mean flag pick-ups.
  var pickups: Double { Double(results.map(\.pickups).reduce(0, +)) / count }

  private var count: Double { Double(max(results.count, 1)) }
}
