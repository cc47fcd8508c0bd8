import Foundation

/// What an actor sends the learner: a trajectory batch and the games it finished meanwhile.
public struct Experience: Sendable {
  /// `[T + 1, B]` steps of every seat.
  public var trajectory: TrajectoryBatch
  /// Games that ended while the trajectory was played.
  public var results: [GameResult]
  /// The version of the weights the actor played with.
  public var weightsVersion: Int

  /// Creates an experience.
  public init(trajectory: TrajectoryBatch, results: [GameResult], weightsVersion: Int) {
    self.trajectory = trajectory
    self.results = results
    self.weightsVersion = weightsVersion
  }
}

/// The boundary between actors and a learner: actors send experience and fetch weights; the learner
/// receives experience and publishes weights. In one process it is ``LocalExchange``, a bounded
/// queue and a weights slot; across machines it can be a replay server.
public protocol ExperienceExchange: AnyObject, Sendable {
  /// Hands over experience, waiting while the queue is full. Throws once the exchange is closed.
  func send(_ experience: Experience) throws
  /// The newest weights if they are newer than `version`.
  func fetchWeights(newerThan version: Int) -> WeightSnapshot?
  /// The next experience, waiting for one; `nil` once the exchange is closed.
  func receive() -> Experience?
  /// Makes `snapshot` the weights actors fetch.
  func publish(_ snapshot: WeightSnapshot)
  /// Wakes every waiting caller; sends fail and receives return `nil` from now on.
  func close()
}

/// The exchange inside one process: a first-in first-out queue of at most `capacity` experiences
/// (senders wait when it is full, which keeps actors from running ahead of the learner) and the
/// latest weights.
public final class LocalExchange: ExperienceExchange, @unchecked Sendable {
  /// The most experiences queued at once.
  public let capacity: Int
  private let condition = NSCondition()
  private var queue: [Experience] = []
  private var weights: WeightSnapshot?
  private var isClosed = false

  /// An open exchange holding up to `capacity` experiences.
  public init(capacity: Int = 2) {
    precondition(capacity > 0, "an exchange holds at least one experience")
    self.capacity = capacity
  }

  public func send(_ experience: Experience) throws {
    condition.lock()
    defer { condition.unlock() }
    while queue.count >= capacity && !isClosed { condition.wait() }
    guard !isClosed else { throw TrainingError("the exchange is closed") }
    queue.append(experience)
    condition.broadcast()
  }

  public func fetchWeights(newerThan version: Int) -> WeightSnapshot? {
    condition.lock()
    defer { condition.unlock() }
    guard let weights, weights.version > version else { return nil }
    return weights
  }

  public func receive() -> Experience? {
    condition.lock()
    defer { condition.unlock() }
    while queue.isEmpty && !isClosed { condition.wait() }
    guard !queue.isEmpty else { return nil }
    let first = queue.removeFirst()
    condition.broadcast()
    return first
  }

  public func publish(_ snapshot: WeightSnapshot) {
    condition.lock()
    weights = snapshot
    condition.unlock()
  }

  public func close() {
    condition.lock()
    isClosed = true
    condition.broadcast()
    condition.unlock()
  }
}
