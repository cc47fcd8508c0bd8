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
  /// The fraction of the last (up to) 100 games won by the learner's agent.
  public var winRate: Double
  /// The version (learner step) of the weights it acts with.
  public var weightsVersion: Int
  /// Frames (agent steps) played per second over the session.
  public var framesPerSecond: Double
}

/// An actor in a process of its own: it takes the run's configuration and weights from the Reverb
/// server's `weights_0` table (waiting until a learner has published them), plays games with an
/// ``Actor``, inserts each trajectory into `trajectories_0`, and loads new weights when the
/// learner has published some (it checks the table's insert count twice a second).
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
  /// The server's client.
  public let client: ReverbClient
  /// The actor's index: it seeds the actor's games and sampling (give each actor its own).
  public let index: Int
  /// How many trajectories may wait for the server's confirmation.
  public let maxInFlightItems: Int

  private let log: (String) -> Void

  /// An actor of index `index` that talks to the server through `client`; `log` hears about
  /// waits and retries.
  public init(
    client: ReverbClient, index: Int, maxInFlightItems: Int = 2, log: @escaping (String) -> Void = { _ in }
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
    guard let first = try fetchWeights(until: outOfTime) else { return }
    let configuration = first.configuration
    let actor = try Actor(configuration: configuration, index: index)
    try actor.check(first.snapshot)
    actor.load(first.snapshot)
    var weightsCount = first.insertCount
    var lastCheck = Date()
    var writer = client.writer(maxInFlightItems: maxInFlightItems)
    var (inserted, confirmedBefore, games, frames) = (0, 0, 0, 0)
    var recent: [Bool] = []
    while !outOfTime() {
      do {
        if Date().timeIntervalSince(lastCheck) >= 0.5 {
          lastCheck = Date()
          let client = self.client
          let count = try runBlocking { try await client.serverInfo() }.first { $0.name == "weights_0" }?
            .insertCount
          if let count, count != weightsCount, let newer = try fetchWeights(until: outOfTime) {
            try actor.check(newer.snapshot)
            actor.load(newer.snapshot)
            weightsCount = count
          }
        }
        for experience in try actor.experiences() {
          let columns = try ExperienceColumns.encode(experience)
          let current = writer
          // Wait for room here rather than in the writer, so that a stop ends the wait.
          while try runBlocking({ await current.inFlight }) >= maxInFlightItems {
            if outOfTime() { break }
            Thread.sleep(forTimeInterval: 0.02)
          }
          if outOfTime() { break }
          _ = try runBlocking {
            try await current.insert(columns, table: "trajectories_\(experience.member)")
          }
          inserted += 1
          frames += configuration.unrollLength * configuration.batchSize
          for game in experience.games {
            if let team = game.team(of: 0) { recent.append(game.result(forTeam: team).isWin) }
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
      } catch let error as ReverbError where error.isUnreachable || error.isClosed {
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

  /// The items `writer` has had confirmed.
  private func confirmedCount(of writer: TrajectoryWriter) -> Int {
    (try? runBlocking { await writer.confirmed }) ?? 0
  }

  /// The newest weights, the run's configuration and the weights table's insert count, waiting
  /// for a learner to publish them; `nil` if `done` says to stop first.
  private func fetchWeights(until done: () -> Bool) throws
    -> (snapshot: WeightSnapshot, configuration: TrainingConfiguration, insertCount: Int)?
  {
    let client = self.client
    var announced = false
    var delay = 0.25
    while !done() {
      do {
        let table = try runBlocking { try await client.serverInfo() }.first { $0.name == "weights_0" }
        guard let table else {
          throw TrainingError("the server at \(client.address) has no weights_0 table: is it an FTW server?")
        }
        let sample = try runBlocking {
          try await client.sample(table: "weights_0", count: 1, timeout: .seconds(2))
        }
        let (snapshot, configuration) = try WeightsColumns.decode(sample[0].columns)
        return (snapshot, configuration, table.insertCount)
      } catch let error as ReverbError where error.isTimeout {
        if !announced { log("waiting for a learner to publish its weights on \(client.address)...") }
        announced = true
      } catch let error as ReverbError where error.isUnreachable {
        log("\(error); retrying in \(String(format: "%.1f", delay)) s")
        Thread.sleep(forTimeInterval: delay)
        delay = min(delay * 2, 30)
      }
    }
    return nil
  }

  /// Waits until the server answers again, backing off from a quarter of a second to 16 seconds
  /// (about a minute in all), then throws.
  private func reconnect(until done: () -> Bool) throws {
    let client = self.client
    var delay = 0.25
    while !done() {
      do {
        _ = try runBlocking { try await client.serverInfo() }
        log("the server at \(client.address) answers again")
        return
      } catch let error as ReverbError where error.isUnreachable {
        guard delay <= 16 else {
          throw ReverbError.unreachable(
            address: "\(client.address)",
            reason: "no answer for about a minute; is the Reverb server running?")
        }
        log("retrying in \(String(format: "%.1f", delay)) s")
        Thread.sleep(forTimeInterval: delay)
        delay *= 2
      }
    }
  }
}
#endif
