#if Distributed
import FTWAgent
import FTWReverb
import Foundation

/// Where an actor process stands, reported after every trajectory it inserts.
public struct ActorProgress: Sendable {
  /// Trajectories inserted, and of those the ones the server confirmed (they are in the queue).
  public var inserted: Int
  public var confirmed: Int
  /// Games finished.
  public var games: Int
  /// The fraction of the last (up to) 100 games won by the agent (by member 0 in a population's
  /// games against bots).
  public var winRate: Double
  /// The version (learner step) of member 0's weights it acts with.
  public var weightsVersion: Int
  /// Frames (agent steps) played per second over the session.
  public var framesPerSecond: Double
}

/// An actor in a process of its own: it takes the run's configuration and every member's weights
/// from the Reverb server's `weights_i` tables (waiting until a learner has published them),
/// plays games with a ``GameActor`` (for a population, drawn by the published ratings as
/// `ftw train`'s actor threads draw them), inserts each member's trajectories into its
/// `trajectories_i` queue, and loads a member's new weights when the learner has published some
/// (it checks the tables' insert counts before every trajectory, so that it acts with weights at
/// most one trajectory old: policy lag is what makes distributed learning worse than one
/// process's). It starts a trajectory only when a queue it inserts into has room.
///
/// The queue's rate limiter holds the actor back when the learner falls behind. A lost server is
/// retried with backoff for about a minute, then the loop throws a message naming it; the
/// trajectories it had sent but not had confirmed are lost, the confirmed ones are in the queue.
///
/// ```swift
/// let client = try await ReverbClient.connect(to: ReverbAddress("localhost:8000"))
/// let loop = ReverbActorLoop(client: client, index: 1)
/// try loop.run(stop: StopSignal(), minutes: 30) { progress in print(progress.inserted) }
/// ```
public final class ReverbActorLoop {
  /// The server's client: the one given, or a new one after the connection was lost.
  public private(set) var client: ReverbClient
  /// The actor's index: it seeds the actor's games and sampling (give each actor its own).
  public let index: Int
  /// How many trajectories may wait for the server's confirmation.
  public let maxInFlightItems: Int

  private let log: (String) -> Void

  /// An actor of index `index` that talks to the server through `client`; `log` hears about
  /// waits and retries.
  public init(
    client: ReverbClient, index: Int, maxInFlightItems: Int = 1, log: @escaping (String) -> Void = { _ in }
  ) {
    self.client = client
    self.index = index
    self.maxInFlightItems = maxInFlightItems
    self.log = log
  }

  /// Plays until `stop` is raised or `minutes` have passed, then waits at most `flushSeconds` for
  /// the server to confirm what it sent (a full queue nobody samples never does). `report` is
  /// called after every trajectory.
  public func run(
    stop: StopSignal, minutes: Double? = nil, flushSeconds: Double = 10, report: (ActorProgress) -> Void
  ) throws {
    let start = Date()
    func outOfTime() -> Bool {
      stop.isRaised || minutes.map { Date().timeIntervalSince(start) >= $0 * 60 } ?? false
    }
    guard let first = try fetchWeights(of: 0, until: outOfTime) else { return }
    let configuration = first.published.configuration
    let population = first.published.population
    let members = population?.size ?? 1
    let ratings = SharedRatings(first.published.ratings ?? EloRatings(count: members))
    let leagues = configuration.world.makeLeagues(members: members)
    let actor = try GameActor(
      configuration: configuration, index: index,
      lineup: population.map {
        PopulationTrainer.lineup(
          population: $0, teamSize: configuration.world.teamSize, opponent: configuration.world.opponent,
          ratings: ratings, leagues: leagues
        )
      }, leagues: leagues)
    // Each member's weights, and the insert count of its table when they were fetched.
    var insertCounts = [Int](repeating: -1, count: members)
    func take(_ fetched: Fetched, member: Int) throws {
      try actor.check(fetched.published.snapshot)
      actor.load(fetched.published.snapshot, member: member)
      if let newer = fetched.published.ratings, newer.ratings.count == members { ratings.current = newer }
      insertCounts[member] = fetched.insertCount
    }
    try take(first, member: 0)
    for member in 1..<members {
      guard let fetched = try fetchWeights(of: member, until: outOfTime) else { return }
      try take(fetched, member: member)
    }
    var writer = client.writer(maxInFlightItems: maxInFlightItems)
    var (inserted, confirmedBefore, games, frames) = (0, 0, 0, 0)
    var recent: [Bool] = []
    while !outOfTime() {
      do {
        guard let tables = try waitForRoom(members: members, until: outOfTime) else { break }
        for member in 0..<members {
          let table = tables.first { $0.name == ReverbTables.weights(member) }
          if let table, table.insertCount != insertCounts[member],
            let fetched = try fetchWeights(of: member, listed: table, until: outOfTime)
          {
            try take(fetched, member: member)
          }
        }
        for experience in try actor.experiences() {
          let columns = try ExperienceColumns.encode(experience)
          let current = writer
          // Wait for room here rather than in the writer, so that a stop ends the wait. A writer
          // whose server went away stops being full, and the insert throws.
          while try runBlocking({ await current.isFull }) {
            if outOfTime() { break }
            Thread.sleep(forTimeInterval: 0.02)
          }
          if outOfTime() { break }
          _ = try runBlocking {
            try await current.insert(columns, table: ReverbTables.trajectories(experience.member))
          }
          inserted += 1
          frames += experience.trajectory.frames
          for game in experience.games {
            // Member 0's games against bots (all of a single agent's games).
            guard game.members.contains(where: \.isEmpty), let team = game.team(of: 0) else { continue }
            recent.append(game.result(forTeam: team).isWin)
          }
          games += experience.games.count
          recent = Array(recent.suffix(100))
          let confirmed = confirmedBefore + confirmedCount(of: current)
          report(
            ActorProgress(
              inserted: inserted, confirmed: confirmed, games: games,
              winRate: recent.isEmpty ? 0 : Double(recent.filter { $0 }.count) / Double(recent.count),
              weightsVersion: actor.weightsVersion,
              framesPerSecond: Double(frames) / max(Date().timeIntervalSince(start), 1e-9)))
        }
      } catch let error as ReverbError where error.isServerGone || error.isClosed {
        log("\(error)")
        try reconnect(until: outOfTime)
        confirmedBefore += confirmedCount(of: writer)
        writer = client.writer(maxInFlightItems: maxInFlightItems)
      }
    }
    let current = writer
    let closing = Task { try await current.close() }
    let deadline = Date().addingTimeInterval(flushSeconds)
    while Date() < deadline, confirmedCount(of: current) + confirmedBefore < inserted {
      Thread.sleep(forTimeInterval: 0.1)
    }
    closing.cancel()
    log("\(confirmedBefore + confirmedCount(of: current)) of \(inserted) trajectories confirmed")
  }

  /// The server's tables once the queue of some member has room (polled every 10 ms), so that
  /// the actor plays its next trajectory with the newest weights rather than playing it early and
  /// waiting to insert it; `nil` if `done` says to stop first.
  private func waitForRoom(members: Int, until done: () -> Bool) throws -> [ReverbTableInfo]? {
    let client = self.client
    let queues = Set((0..<members).map(ReverbTables.trajectories))
    while !done() {
      let tables = try runBlocking { try await client.serverInfo() }
      if tables.contains(where: { queues.contains($0.name) && $0.currentSize < $0.maxSize }) { return tables }
      Thread.sleep(forTimeInterval: 0.01)
    }
    return nil
  }

  /// The items `writer` has had confirmed.
  private func confirmedCount(of writer: TrajectoryWriter) -> Int {
    (try? runBlocking { await writer.confirmed }) ?? 0
  }

  /// A publication and the insert count of its table when it was fetched.
  private typealias Fetched = (published: PublishedWeights, insertCount: Int)

  /// The newest weights of `member` as the learner published them, waiting for a learner to
  /// publish some; `nil` if `done` says to stop first. `listed` is the weights table as the
  /// server just listed it, which spares the first attempt asking again.
  private func fetchWeights(of member: Int, listed: ReverbTableInfo? = nil, until done: () -> Bool) throws
    -> Fetched?
  {
    let name = ReverbTables.weights(member)
    var (announced, listed) = (false, listed)
    var backoff = Backoff()
    while !done() {
      let client = self.client
      do {
        let table = try listed ?? runBlocking { try await client.serverInfo() }.first { $0.name == name }
        listed = nil
        guard let table else {
          throw TrainingError("the server at \(client.address) has no \(name) table: is it an FTW server?")
        }
        let sample = try runBlocking { try await client.sample(table: name, count: 1, timeout: .seconds(2)) }
        return (try WeightsColumns.decode(sample[0].columns), table.insertCount)
      } catch let error as ReverbError where error.isTimeout {
        if !announced { log("waiting for a learner to publish \(name) on \(client.address)...") }
        announced = true
      } catch let error as ReverbError where error.isServerGone {
        let seconds = backoff.next()
        log("\(error); retrying in \(String(format: "%.1f", seconds)) s")
        Thread.sleep(forTimeInterval: seconds)
        // A connection that broke does not always recover: the next attempt goes on a new one.
        self.client = try ReverbClient(address: client.address)
      }
    }
    return nil
  }

  /// Waits until the server answers again on a new connection (one whose server went away does
  /// not always find it again), retrying with backoff from a quarter of a second to 8 seconds for
  /// about a minute, then throws.
  private func reconnect(until done: () -> Bool) throws {
    let address = client.address
    let deadline = Date().addingTimeInterval(60)
    var backoff = Backoff(cap: 8)
    while !done() {
      let fresh = try ReverbClient(address: address)
      do {
        _ = try runBlocking { try await fresh.serverInfo() }
        client = fresh
        log("the server at \(address) answers again")
        return
      } catch let error as ReverbError where error.isServerGone {
        fresh.close()
        guard Date() < deadline else {
          throw ReverbError.unreachable(
            address: "\(address)", reason: "no answer for a minute; is the Reverb server running?")
        }
        let seconds = backoff.next()
        log("retrying in \(String(format: "%.1f", seconds)) s")
        Thread.sleep(forTimeInterval: seconds)
      }
    }
  }
}
#endif
