import Synchronization

/// Each member's newest weights, published by a learner and fetched by actors on other threads.
///
/// ```swift
/// let slots = WeightSlots()
/// slots.publish(agent.snapshot(version: 3), of: 0)
/// slots.fetch(of: 0, newerThan: 2)   // the snapshot of version 3
/// slots.fetch(of: 0, newerThan: 3)   // nil
/// ```
public final class WeightSlots: Sendable {
  private let slots = Mutex<[Int: WeightSnapshot]>([:])

  /// Empty slots.
  public init() {}

  /// Makes `snapshot` the weights actors fetch for `member`.
  public func publish(_ snapshot: WeightSnapshot, of member: Int) {
    slots.withLock { $0[member] = snapshot }
  }

  /// The newest weights of `member` if they are newer than `version`.
  public func fetch(of member: Int, newerThan version: Int) -> WeightSnapshot? {
    slots.withLock { slots in slots[member].flatMap { $0.version > version ? $0 : nil } }
  }
}
