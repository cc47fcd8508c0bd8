import FTWEnvironments
import FTWTensor

/// Earlier weights of member 0 that an actor keeps as opponents (one every `snapshotInterval`
/// learner steps, the newest `snapshotPoolSize`), and the agent that plays them. It keeps nothing
/// unless told to (when the actor's games can draw snapshots): a pool of the FTW network's weights
/// holds 30 MB a snapshot.
///
/// ```swift
/// let pool = SnapshotPool(configuration: configuration, keeps: true)
/// pool.keep(learnerAgent.snapshot(version: 0))
/// let opponent = try pool.opponent(seeds: &seeds)   // an agent with a snapshot drawn at random
/// ```
final class SnapshotPool {
  private let configuration: TrainingConfiguration
  private let keeps: Bool
  private var snapshots: [WeightSnapshot] = []
  private var agent: Agent?

  /// The versions kept, oldest first.
  var keptVersions: [Int] { snapshots.map(\.version) }

  /// An empty pool, which keeps snapshots if `keeps`.
  init(configuration: TrainingConfiguration, keeps: Bool) {
    self.configuration = configuration
    self.keeps = keeps
  }

  /// Keeps `snapshot` if it is `snapshotInterval` steps newer than the last one kept (or the
  /// first), dropping the oldest past the pool's size.
  func keep(_ snapshot: WeightSnapshot) {
    guard keeps else { return }
    guard
      snapshots.last.map({ snapshot.version >= $0.version + configuration.acting.snapshotInterval }) ?? true
    else {
      return
    }
    snapshots = Array((snapshots + [snapshot]).suffix(configuration.acting.snapshotPoolSize))
  }

  /// The pool's agent with a snapshot drawn from `seeds`; the pool must hold one.
  func opponent(seeds: inout SplitMix64) throws -> Agent {
    precondition(
      !snapshots.isEmpty,
      "snapshot opponents need a pool that keeps snapshots, and member 0's weights loaded first")
    if agent == nil {
      var generator = RandomGenerator(seed: configuration.seeds.seed(for: .snapshotAgent))
      agent = try Agent(configuration: configuration, generator: &generator)
    }
    agent!.load(snapshots[seeds.next(below: snapshots.count)])
    return agent!
  }
}
