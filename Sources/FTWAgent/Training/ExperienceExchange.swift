import Foundation

/// What an actor sends a learner: one member's trajectory batch, and the games the actor finished
/// meanwhile.
public struct Experience: Sendable {
  /// The member whose steps these are (a single agent is member 0).
  public var member: Int
  /// `[T + 1, B]` steps of the member's seats.
  public var trajectory: TrajectoryBatch
  /// Games that ended while the trajectory was played (sent with one member's experience only).
  public var games: [GameRecord]
  /// The version of the member's weights the actor played with.
  public var weightsVersion: Int

  /// Creates an experience.
  public init(member: Int = 0, trajectory: TrajectoryBatch, games: [GameRecord], weightsVersion: Int) {
    self.member = member
    self.trajectory = trajectory
    self.games = games
    self.weightsVersion = weightsVersion
  }
}

/// The boundary between actors and learners: actors send experience and fetch weights; the learner
/// receives experience and publishes weights, one slot per member of the run. In one process it is
/// ``LocalExchange``, a bounded queue and the weights slots; across machines it can be a replay
/// server.
public protocol ExperienceExchange: AnyObject, Sendable {
  /// Hands over experience, waiting while the queue is full. Throws once the exchange is closed.
  func send(_ experience: Experience) throws
  /// The newest weights of `member` if they are newer than `version`.
  func fetchWeights(of member: Int, newerThan version: Int) -> WeightSnapshot?
  /// The next experience, waiting for one; `nil` once the exchange is closed.
  func receive() -> Experience?
  /// Makes `snapshot` the weights actors fetch for `member`.
  func publish(_ snapshot: WeightSnapshot, of member: Int)
  /// Wakes every waiting caller; sends fail and receives return `nil` from now on.
  func close()
}

/// The exchange inside one process: a first-in first-out queue of at most `capacity` experiences
/// (senders wait when it is full, which keeps actors from running ahead of the learner) and each
/// member's latest weights.
public final class LocalExchange: ExperienceExchange, @unchecked Sendable {
  /// The most experiences queued at once.
  public let capacity: Int
  private let condition = NSCondition()
  private var queue: [Experience] = []
  private var weights: [Int: WeightSnapshot] = [:]
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

  public func fetchWeights(of member: Int, newerThan version: Int) -> WeightSnapshot? {
    condition.lock()
    defer { condition.unlock() }
    guard let snapshot = weights[member], snapshot.version > version else { return nil }
    return snapshot
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

  public func publish(_ snapshot: WeightSnapshot, of member: Int) {
    condition.lock()
    weights[member] = snapshot
    condition.unlock()
  }

  public func close() {
    condition.lock()
    isClosed = true
    condition.broadcast()
    condition.unlock()
  }
}
