#if Distributed
import FTWAgent
import FTWNetworks
import FTWReverb
import Foundation
import Synchronization

/// The experience of a learner whose actors are other processes (``ReverbActorLoop``), through a
/// Reverb server started by `Scripts/reverb_server.py`: one thread per member samples the member's
/// `trajectories_i` queue into a buffer of one (it samples the next trajectory while the learner
/// trains on the one before, and no earlier, to keep the policy lag small), and a publishing
/// thread inserts each member's newest weights into `weights_i` at most every `publishInterval`
/// seconds (and once more when the source finishes), with the run's configuration and, for a
/// population, the population's and its ratings (``PublishedWeights``), so actors need only the
/// server's address.
///
/// A lost connection is retried with backoff (the message names the server); a server that
/// refuses ends the learner with an error. An item that cannot be read or does not fit the run
/// (other columns, shapes, types or sizes, garbage bytes, actions out of range, numbers that are
/// not finite, another configuration's: ``TrajectorySpec``) is counted in ``skippedItems``, named
/// in the log and skipped, so that one faulty or hostile writer cannot stop the learner.
/// A trajectory sampled but not yet trained on when the learner stops (at most the buffer's one
/// per member) is lost; ``sampledItems`` counts it.
///
/// ```swift
/// let client = try await ReverbClient.connect(to: ReverbAddress("localhost:8000"))
/// let source = ReverbExperienceSource(
///   client: client, configuration: configuration,
///   stateLike: agent.network.initialState(batchSize: configuration.batchSize))
/// try trainer.train(budget: TrainingBudget(minutes: 30), stop: stop, source: source) { _ in }
/// ```
public final class ReverbExperienceSource: ExperienceSource, Sendable {
  /// The server's client: the one given, or a new one after the connection was lost.
  public var client: ReverbClient { current.withLock { $0 } }
  /// The run's configuration, published with the weights.
  public let configuration: TrainingConfiguration
  /// The population, when the run trains one (a single agent is member 0 otherwise).
  public let population: PopulationConfiguration?
  /// The least time between two publications of a member's weights.
  public let publishInterval: Double

  /// The items sampled from the server, those skipped included.
  public var sampledItems: Int { sampled.load(ordering: .relaxed) }
  /// The items sampled that could not be read or did not fit the run, and were skipped.
  public var skippedItems: Int { skipped.load(ordering: .relaxed) }

  private let queue: ExperienceQueue
  private let spec: TrajectorySpec
  private let sampled = Atomic<Int>(0)
  private let skipped = Atomic<Int>(0)
  private let current: Mutex<ReverbClient>
  private let latest = Mutex<[Int: WeightSnapshot]>([:])
  private let ratings = Mutex<EloRatings?>(nil)
  private let failure = Mutex<String?>(nil)
  private let stopping = Atomic<Bool>(false)
  private let running = DispatchGroup()
  private let log: @Sendable (String) -> Void

  /// Starts sampling the queues of every member of `population` (or of member 0 alone) and
  /// publishing. `stateLike` is a recurrent state of the learner's network (of any batch size; its
  /// values are not used); `log` hears about retries.
  public init(
    client: ReverbClient, configuration: TrainingConfiguration, population: PopulationConfiguration? = nil,
    stateLike: RPTHState, publishInterval: Double = 0, log: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    let members = population?.size ?? 1
    current = Mutex(client)
    self.configuration = configuration
    self.population = population
    self.publishInterval = publishInterval
    self.log = log
    spec = TrajectorySpec(configuration: configuration)
    queue = ExperienceQueue(capacity: members)
    for member in 0..<members {
      start("ftw-sample-\(member)") { $0.sample(member: member, stateLike: stateLike) }
    }
    start("ftw-publish") { $0.publish(members: members) }
  }

  public func next() throws -> Experience? {
    if let experience = queue.receive() { return experience }
    if let message = failure.withLock({ $0 }) { throw TrainingError(message) }
    return nil
  }

  public func publish(_ snapshot: WeightSnapshot, of member: Int) {
    latest.withLock { $0[member] = snapshot }
  }

  public func publish(_ ratings: EloRatings) {
    self.ratings.withLock { $0 = ratings }
  }

  /// Stops sampling, publishes the newest weights and waits for the threads.
  public func finish() {
    stopping.store(true, ordering: .sequentiallyConsistent)
    queue.close()
    running.wait()
  }

  private var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) }

  private func start(_ name: String, _ body: @escaping @Sendable (ReverbExperienceSource) -> Void) {
    running.enter()
    let thread = Thread { [self] in
      defer { running.leave() }
      body(self)
    }
    thread.name = name
    thread.start()
  }

  private func fail(_ message: String) {
    failure.withLock { if $0 == nil { $0 = message } }
    queue.close()
  }

  /// Sleeps before the next attempt to reach the server (`backoff`'s next wait), and
  /// replaces `failed` (unless another thread has) by a client on a new connection: one whose
  /// server went away does not always find it again.
  private func backOff(after error: ReverbError, _ backoff: inout Backoff, failed: ReverbClient) {
    let seconds = backoff.next()
    log("\(error); retrying in \(String(format: "%.1f", seconds)) s")
    Thread.sleep(forTimeInterval: seconds)
    current.withLock { client in
      if client === failed, let fresh = try? ReverbClient(address: failed.address) { client = fresh }
    }
  }

  private func sample(member: Int, stateLike: RPTHState) {
    let table = ReverbTables.trajectories(member)
    var backoff = Backoff()
    while !isStopping, queue.waitUntilEmpty() {
      let client = self.client
      do {
        let samples = try runBlocking {
          try await client.sample(table: table, count: 1, timeout: .seconds(1))
        }
        sampled.add(1, ordering: .relaxed)
        backoff.reset()
        guard let experience = read(samples[0].columns, of: member, stateLike: stateLike) else { continue }
        try queue.send(experience)
      } catch let error as ReverbError where error.isTimeout {
        continue
      } catch let error as ReverbError where error.isServerGone {
        backOff(after: error, &backoff, failed: client)
      } catch let error as ReverbError where error.isProtocolViolation {
        // The server handed out an item the client could not assemble: it has left the queue.
        sampled.add(1, ordering: .relaxed)
        skip(table, because: "\(error)")
      } catch is ExperienceQueue.Closed {
        return
      } catch {
        if !isStopping { fail("sampling \(table): \(error)") }
        return
      }
    }
  }

  /// The experience of an item of `member`'s queue, or `nil` (counted and logged) when it cannot
  /// be read or does not fit the run.
  private func read(_ columns: [ReverbTensor], of member: Int, stateLike: RPTHState) -> Experience? {
    let table = ReverbTables.trajectories(member)
    do {
      return try ExperienceColumns.decode(
        columns, stateLike: stateLike, member: member, members: population?.size ?? 1, spec: spec)
    } catch {
      skip(table, because: "\(error)")
      return nil
    }
  }

  private func skip(_ table: String, because reason: String) {
    let count = skipped.add(1, ordering: .relaxed).newValue
    log("skipped a malformed item of \(table) (\(count) so far): \(reason)")
  }

  private func publish(members: Int) {
    var writer = client.writer(maxInFlightItems: 1)
    var published: [Int: (version: Int, at: Date)] = [:]
    var backoff = Backoff()
    while true {
      // The last pass publishes whatever is newer, without waiting for the interval.
      let last = isStopping
      for member in 0..<members {
        guard let snapshot = latest.withLock({ $0[member] }),
          snapshot.version > published[member]?.version ?? -1,
          last || Date().timeIntervalSince(published[member]?.at ?? .distantPast) >= publishInterval
        else { continue }
        do {
          let columns = try WeightsColumns.encode(
            PublishedWeights(
              snapshot: snapshot, configuration: configuration, population: population,
              ratings: population == nil ? nil : ratings.withLock { $0 }))
          let current = writer
          try runBlocking {
            try await current.insert(columns, table: ReverbTables.weights(member))
            try await current.flush()
          }
          published[member] = (snapshot.version, Date())
          backoff.reset()
        } catch let error as ReverbError where error.isServerGone || error.isClosed {
          if last { return log("could not publish the last weights: \(error)") }
          backOff(after: error, &backoff, failed: writer.client)
          writer = client.writer(maxInFlightItems: 1)
        } catch {
          return fail("publishing weights: \(error)")
        }
      }
      if last { break }
      Thread.sleep(forTimeInterval: 0.01)
    }
    let current = writer
    try? runBlocking { try await current.close() }
  }
}
#endif
