/// Where a time step sits in its episode, as in `dm_env`.
public enum StepType: Sendable, Equatable {
  /// The step `reset()` returns: no reward yet, only an observation.
  case first
  /// Any step between the first and the last.
  case mid
  /// The episode's final step; the next `step(_:)` starts a new episode.
  case last
}

/// What one player receives after `reset()` or `step(_:)`.
///
/// ```swift
/// let steps = environment.reset()
/// steps[0].stepType  // .first
/// steps[0].observation.pixels.count  // 84 * 84 * 3
/// ```
public struct TimeStep: Sendable {
  /// First, mid or last.
  public var stepType: StepType
  /// The reward of the transition into this step (0 on the first step).
  public var reward: Float
  /// The discount of the transition into this step: 1, or 0 when the episode ended.
  public var discount: Float
  /// The player's observation in this step.
  public var observation: Observation

  /// Creates a time step.
  public init(stepType: StepType, reward: Float, discount: Float, observation: Observation) {
    self.stepType = stepType
    self.reward = reward
    self.discount = discount
    self.observation = observation
  }
}
