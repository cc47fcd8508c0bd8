extension TrainingConfiguration {
  /// The auxiliary tasks, pixel control and reward prediction, and their replays.
  ///
  /// ```swift
  /// var auxiliary = TrainingConfiguration.Auxiliary()
  /// auxiliary.pixelControlCost = 0.05    // needs 84x84 views
  /// ```
  public struct Auxiliary: Codable, Sendable, Equatable {
    /// The pixel-control loss's cost; 0 (the default) turns the task off; the paper's agent uses
    /// 0.01 to 0.1. It needs 84x84 views. On two cores the two auxiliary tasks together halve the
    /// frames per second.
    public var pixelControlCost: Float = 0
    /// The reward-prediction loss's cost; 0 (the default) turns the task off; the paper's agent
    /// uses 0.1 to 1.
    public var rewardPredictionCost: Float = 0
    /// Sequences of a stored trajectory batch each pixel-control step trains on.
    public var pixelControlSequences = 2
    /// Trajectory batches kept for pixel control.
    public var pixelControlReplaySize = 20
    /// Three-frame sequences kept for reward prediction, in each of its two replays.
    public var rewardPredictionReplaySize = 800

    /// The defaults: both tasks off.
    public init() {}

    /// Reads the auxiliary tasks' keys; a missing one keeps its default.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      try container.read(.pixelControlCost, into: &pixelControlCost)
      try container.read(.rewardPredictionCost, into: &rewardPredictionCost)
      try container.read(.pixelControlSequences, into: &pixelControlSequences)
      try container.read(.pixelControlReplaySize, into: &pixelControlReplaySize)
      try container.read(.rewardPredictionReplaySize, into: &rewardPredictionReplaySize)
    }

    /// Throws a ``TrainingError`` naming the first value out of range and what is allowed.
    func validate(viewSize: Int) throws {
      try require(
        pixelControlCost >= 0 && pixelControlCost <= 10 && rewardPredictionCost >= 0
          && rewardPredictionCost <= 10,
        "pixelControlCost and rewardPredictionCost must be in [0, 10]")
      try require(
        pixelControlCost == 0 || viewSize == 84,
        "pixel control needs 84x84 views (its cells cover the central 80x80 pixels); set pixelControlCost to 0 for viewSize \(viewSize)"
      )
      try require(
        (1...1000).contains(pixelControlReplaySize) && (1...100_000).contains(rewardPredictionReplaySize)
          && (1...1024).contains(pixelControlSequences),
        "pixelControlReplaySize must be in 1...1000, rewardPredictionReplaySize in 1...100000 and pixelControlSequences in 1...1024"
      )
    }
  }
}
