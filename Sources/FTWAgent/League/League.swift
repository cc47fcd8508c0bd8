import FTWEnvironments
import Synchronization

/// The opponents an agent trains against, the ladder's bots and (optionally) its own earlier
/// snapshots, with its recent score against each; every game draws its opponent by a
/// ``LeagueWeighting`` of those scores. Actor threads draw from one league and record their games'
/// results in it, so that the weights follow the agent as it learns.
///
/// ```swift
/// let league = League(opponents: League.ladderOpponents(), weighting: .even)
/// var seeds = SplitMix64(seed: 1)
/// let opponent = league.draw(using: &seeds)       // .bot(.medium), say
/// league.record(score: 1, against: opponent)      // the agent won
/// ```
public final class League: Sendable {
  /// One of a league's opponents.
  public enum Opponent: Hashable, Sendable {
    /// A team of one kind of bot.
    case bot(BotKind)
    /// A team of the agent's own earlier snapshots.
    case snapshot
  }

  /// The opponents, in the order the curriculum climbs them.
  public let opponents: [Opponent]
  /// How games are shared among them.
  public let weighting: LeagueWeighting
  /// How many of the latest games against an opponent its score is taken over.
  public let window: Int
  private let recent: Mutex<[[Double]]>

  /// A league of `opponents` (at least one, no repeats).
  public init(opponents: [Opponent], weighting: LeagueWeighting, window: Int = 40) {
    precondition(
      !opponents.isEmpty && Set(opponents).count == opponents.count, "a league has distinct opponents")
    self.opponents = opponents
    self.weighting = weighting
    self.window = max(1, window)
    recent = Mutex(Array(repeating: [], count: opponents.count))
  }

  /// The ladder's bots, weakest first, then (with `snapshots`) the agent's own snapshots.
  public static func ladderOpponents(snapshots: Bool = false) -> [Opponent] {
    BotKind.ladder.map { .bot($0) } + (snapshots ? [.snapshot] : [])
  }

  /// The agent's score against each opponent over its latest games, with one virtual draw so that
  /// an opponent not yet met stands at 1/2.
  public var scores: [Double] {
    recent.withLock { $0.map { (($0.reduce(0, +)) + 0.5) / Double($0.count + 1) } }
  }

  /// Each opponent's share of the next games.
  public var shares: [Double] { weighting.shares(scores: scores) }

  /// The games against each opponent that its score is taken over.
  public var gamesCounted: [Int] { recent.withLock { $0.map(\.count) } }

  /// The opponent of the next game, drawn by the shares from `seeds`.
  public func draw(using seeds: inout SplitMix64) -> Opponent {
    let shares = self.shares
    var point = Double(seeds.next() >> 11) * 0x1p-53
    for (index, share) in shares.enumerated() {
      point -= share
      if point < 0 { return opponents[index] }
    }
    return opponents[shares.lastIndex { $0 > 0 } ?? opponents.count - 1]
  }

  /// Takes in a game's result against `opponent`: 1 won, 1/2 drawn, 0 lost.
  public func record(score: Double, against opponent: Opponent) {
    guard let index = opponents.firstIndex(of: opponent) else { return }
    recent.withLock { recent in
      recent[index].append(score)
      if recent[index].count > window { recent[index].removeFirst(recent[index].count - window) }
    }
  }

  /// The agent's rating on `ladder`'s scale from its latest games against the ladder's bots, with a
  /// 95% interval; `nil` before it has met two of them.
  public func ladderRating(on ladder: BotLadder) -> (rating: Double, interval: ClosedRange<Double>)? {
    let games = recent.withLock { $0 }
    var results: [EvaluationResult] = []
    var ratings: [Double] = []
    for (opponent, scores) in zip(opponents, games) where !scores.isEmpty {
      guard case .bot(let kind) = opponent, let elo = ladder.rating(of: kind) else { continue }
      var result = EvaluationResult()
      result.wins = scores.filter { $0 == 1 }.count
      result.draws = scores.filter { $0 == 0.5 }.count
      result.losses = scores.count - result.wins - result.draws
      results.append(result)
      ratings.append(elo)
    }
    return results.count >= 2 ? EloFit.rating(of: results, against: ratings) : nil
  }
}

extension League.Opponent {
  /// Who plays a seat against this opponent.
  var seatPlayer: SeatPlayer {
    switch self {
    case .bot(let kind): .bot(kind)
    case .snapshot: .snapshot
    }
  }

  /// The league opponent playing a seat, if a league opponent does (members do not).
  init?(_ player: SeatPlayer) {
    switch player {
    case .bot(let kind): self = .bot(kind)
    case .snapshot: self = .snapshot
    case .member: return nil
    }
  }
}
