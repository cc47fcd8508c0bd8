/// One member's trajectory batch from an actor, and the weights it acted with.
public struct MemberTrajectory {
  /// The member.
  public var member: Int
  /// `[T + 1, seats]`: the member's seats in the actor's games.
  public var trajectory: TrajectoryBatch
  /// The version of the member's weights.
  public var weightsVersion: Int
}
