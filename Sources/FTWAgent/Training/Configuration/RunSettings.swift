extension TrainingConfiguration {
  /// The run: its seed, how often it saves, and whether it runs in lock step.
  ///
  /// ```swift
  /// var run = TrainingConfiguration.Run()
  /// run.seed = 7
  /// run.deterministic = true
  /// ```
  public struct Run: Codable, Sendable, Equatable {
    /// The seed of everything random: arenas, bots, the network's initialisation and sampling.
    public var seed: UInt64 = 1
    /// Minutes between checkpoints.
    public var checkpointMinutes: Double = 5
    /// Run actors and learner in lock step on one thread, so two runs from one seed are
    /// bit-identical (slower: nothing overlaps).
    public var deterministic = false

    /// The defaults.
    public init() {}

    /// Reads the run's keys; a missing one keeps its default.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      try container.read(.seed, into: &seed)
      try container.read(.checkpointMinutes, into: &checkpointMinutes)
      try container.read(.deterministic, into: &deterministic)
    }

    /// Throws a ``TrainingError`` naming the first value out of range and what is allowed.
    func validate() throws {
      try require(
        checkpointMinutes > 0 && checkpointMinutes <= 1440,
        "checkpointMinutes must be in (0, 1440], got \(checkpointMinutes)")
    }
  }
}
