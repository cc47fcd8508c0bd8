import Foundation
import Synchronization

/// Where a learner's experience comes from: actors playing the run's members, on threads of the
/// learner's process (``Trainer`` makes its own) or in other processes behind a replay server
/// (pass one to ``Trainer/train(budget:stop:source:report:)``).
///
/// ```swift
/// while let experience = try source.next() {
///   try learner.step(experience.trajectory)
///   source.publish(agent.snapshot(version: learner.stepCount), of: experience.member)
/// }
/// source.finish()
/// ```
public protocol ExperienceSource: AnyObject {
  /// The next experience; `nil` when the actors have stopped.
  func next() throws -> Experience?
  /// New weights of `member` for the actors.
  func publish(_ snapshot: WeightSnapshot, of member: Int)
  /// A population's new ratings, for actors in other processes to match players by.
  func publish(_ ratings: EloRatings)
  /// Stops the actors.
  func finish()
}

extension ExperienceSource {
  /// Nothing: actor threads read a population's ratings directly (``SharedRatings``).
  public func publish(_ ratings: EloRatings) {}
}

/// The experience source of a run: actors on threads, or one actor in lock step with the learner
/// when the configuration is deterministic. `weights` are the members' first weights; `lineup`
/// makes each actor's lineup (`nil`: member 0 against the configuration's opponent, drawn from
/// `league` against the league).
func makeExperienceSource(
  configuration: TrainingConfiguration, weights: [WeightSnapshot],
  lineup: (@Sendable () -> GameActor.Lineup)? = nil, leagues: [League]? = nil
) throws -> ExperienceSource {
  configuration.run.deterministic
    ? try LockstepSource(configuration: configuration, weights: weights, lineup: lineup?(), leagues: leagues)
    : try ThreadedSource(configuration: configuration, weights: weights, lineup: lineup, leagues: leagues)
}

/// One actor on the learner's thread, acting with the newest weights before every trajectory.
final class LockstepSource: ExperienceSource {
  private let actor: GameActor
  private var ready: [Experience] = []

  init(
    configuration: TrainingConfiguration, weights: [WeightSnapshot], lineup: GameActor.Lineup?,
    leagues: [League]?
  ) throws {
    actor = try GameActor(configuration: configuration, index: 0, lineup: lineup, leagues: leagues)
    for (member, snapshot) in weights.enumerated() { actor.load(snapshot, member: member) }
  }

  func next() throws -> Experience? {
    if ready.isEmpty { ready = try actor.experiences() }
    return ready.removeFirst()
  }

  func publish(_ snapshot: WeightSnapshot, of member: Int) { actor.load(snapshot, member: member) }

  func finish() {}
}

/// Actor threads sending through an ``ExperienceQueue``; each picks up its members' newest weights
/// from ``WeightSlots`` between trajectories.
final class ThreadedSource: ExperienceSource {
  private let queue: ExperienceQueue
  private let weights = WeightSlots()
  private let failure = FirstFailure()
  private var threads: [Thread] = []
  private let finished = DispatchGroup()

  init(
    configuration: TrainingConfiguration, weights first: [WeightSnapshot],
    lineup: (@Sendable () -> GameActor.Lineup)?, leagues: [League]?
  ) throws {
    // Room for every member's trajectory of one round from each actor, and one more round.
    queue = ExperienceQueue(capacity: (configuration.acting.actors + 1) * max(first.count, 1))
    for (member, snapshot) in first.enumerated() { weights.publish(snapshot, of: member) }
    for index in 0..<configuration.acting.actors {
      let thread = Thread {
        [queue, weights, failure, finished, members = first.count, lineup = lineup?(), leagues] in
        defer { finished.leave() }
        do {
          // Built on its own thread, which alone uses it.
          let actor = try GameActor(
            configuration: configuration, index: index, lineup: lineup, leagues: leagues)
          while true {
            for member in 0..<members {
              if let snapshot = weights.fetch(of: member, newerThan: actor.weightsVersion(of: member)) {
                actor.load(snapshot, member: member)
              }
            }
            for experience in try actor.experiences() { try queue.send(experience) }
          }
        } catch {
          failure.record(error)
          queue.close()
        }
      }
      thread.name = "ftw-actor-\(index)"
      thread.stackSize = 16 << 20
      finished.enter()
      threads.append(thread)
    }
    for thread in threads { thread.start() }
  }

  func next() throws -> Experience? {
    if let experience = queue.receive() { return experience }
    // An actor stopped by the closed queue (the learner finishing) did not fail.
    if let error = failure.error, !(error is ExperienceQueue.Closed) {
      throw TrainingError("an actor failed: \(error)")
    }
    return nil
  }

  func publish(_ snapshot: WeightSnapshot, of member: Int) { weights.publish(snapshot, of: member) }

  func finish() {
    queue.close()
    finished.wait()
  }
}

extension GameActor {
  /// The next trajectory of every member, as experiences; the games finished meanwhile go with
  /// the first.
  public func experiences() throws -> [Experience] {
    var experiences = try nextTrajectories()
    if !experiences.isEmpty { experiences[0].games = takeGames() }
    return experiences
  }
}

/// The first error any of several threads met.
final class FirstFailure: Sendable {
  private let first = Mutex<(any Error)?>(nil)

  /// Keeps `error` unless an earlier one is kept.
  func record(_ error: any Error) { first.withLock { if $0 == nil { $0 = error } } }

  /// The first error recorded.
  var error: (any Error)? { first.withLock { $0 } }
}
