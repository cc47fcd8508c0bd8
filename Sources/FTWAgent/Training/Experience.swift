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
