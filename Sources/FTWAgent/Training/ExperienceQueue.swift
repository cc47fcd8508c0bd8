import Foundation

/// A first-in first-out queue of at most ``capacity`` experiences between actor threads and a
/// learner in one process. Senders wait while it is full, which keeps actors from running ahead
/// of the learner; once closed, waiting callers wake, sends throw ``Closed`` and receives return
/// what is left, then `nil`.
///
/// ```swift
/// let queue = ExperienceQueue(capacity: 4)
/// try queue.send(experience)        // on an actor's thread
/// while let next = queue.receive() { try learner.step(next.trajectory) }
/// queue.close()
/// ```
public final class ExperienceQueue: @unchecked Sendable {
  /// What a send into a closed queue throws.
  public struct Closed: Error, CustomStringConvertible, Equatable {
    /// The error.
    public init() {}

    public var description: String { "the experience queue is closed" }
  }

  /// The most experiences queued at once.
  public let capacity: Int
  private let condition = NSCondition()
  private var queue: [Experience] = []
  private var isClosed = false

  /// An open queue holding up to `capacity` experiences.
  public init(capacity: Int = 2) {
    precondition(capacity > 0, "a queue holds at least one experience")
    self.capacity = capacity
  }

  /// Appends `experience`, waiting while the queue is full; throws ``Closed`` once it is closed.
  public func send(_ experience: Experience) throws {
    condition.lock()
    defer { condition.unlock() }
    while queue.count >= capacity && !isClosed { condition.wait() }
    guard !isClosed else { throw Closed() }
    queue.append(experience)
    condition.broadcast()
  }

  /// The oldest experience, waiting for one; `nil` once the queue is closed and empty.
  public func receive() -> Experience? {
    condition.lock()
    defer { condition.unlock() }
    while queue.isEmpty && !isClosed { condition.wait() }
    guard !queue.isEmpty else { return nil }
    let first = queue.removeFirst()
    condition.broadcast()
    return first
  }

  /// Waits until the queue is empty (a receiver has taken everything) or closed; `true` if empty.
  /// A sender that fetches its next experience from elsewhere (a replay server) calls it first, so
  /// that it holds at most one experience ahead of the receiver.
  public func waitUntilEmpty() -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while !queue.isEmpty && !isClosed { condition.wait() }
    return !isClosed
  }

  /// Wakes every waiting caller; sends throw from now on.
  public func close() {
    condition.lock()
    isClosed = true
    condition.broadcast()
    condition.unlock()
  }
}
