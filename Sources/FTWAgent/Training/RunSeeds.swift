import FTWEnvironments

/// A training run's random streams, each split from the run's seed by one function, as Acme splits
/// its generator: every consumer's stream is named here, so that no two share one by accident and
/// a new consumer is added in one place.
///
/// ```swift
/// let seeds = RunSeeds(configuration.run.seed)
/// var generator = RandomGenerator(seed: seeds.seed(for: .member(0)))   // member 0's initial weights
/// var lineups = SplitMix64(seed: seeds.seed(for: .lineups(actor: 1)))
/// ```
public struct RunSeeds: Sendable, Equatable {
  /// A consumer of random numbers.
  public enum Stream: Sendable, Hashable {
    /// A member's initial weights and hyperparameters, then its auxiliary replays' sampling (a
    /// single agent is member 0).
    case member(Int)
    /// A population's evolution: the members' first values, exploits and explorations.
    case evolution
    /// An actor's action sampling.
    case acting(actor: Int)
    /// An actor's lineups and the seeds of the bots and opponents it seats.
    case lineups(actor: Int)
    /// An actor's game `game`: its arenas.
    case game(actor: Int, game: Int)
    /// An actor's copy of a member's agent (whose weights the learner's replace).
    case actorAgent(actor: Int, member: Int)
    /// An actor's agent that plays snapshots (whose weights the snapshots replace).
    case snapshotAgent

    /// The stream's name as numbers: a tag, then its indices.
    var words: [UInt64] {
      switch self {
      case .member(let member): [1, UInt64(member)]
      case .evolution: [2]
      case .acting(let actor): [3, UInt64(actor)]
      case .lineups(let actor): [4, UInt64(actor)]
      case .game(let actor, let game): [5, UInt64(actor), UInt64(game)]
      case .actorAgent(let actor, let member): [6, UInt64(actor), UInt64(member)]
      case .snapshotAgent: [7]
      }
    }
  }

  /// The run's seed.
  public let root: UInt64

  /// The streams of the run seeded with `root`.
  public init(_ root: UInt64) { self.root = root }

  /// The seed of `stream`: the root and the stream's name mixed through SplitMix64, a word at a
  /// time.
  public func seed(for stream: Stream) -> UInt64 {
    var mixer = SplitMix64(seed: root)
    var value = mixer.next()
    for word in stream.words {
      mixer = SplitMix64(seed: value ^ word)
      value = mixer.next()
    }
    return value
  }
}

extension TrainingConfiguration {
  /// The run's random streams, split from its seed.
  public var seeds: RunSeeds { RunSeeds(run.seed) }
}
