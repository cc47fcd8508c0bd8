extension TrainingConfiguration {
  /// The actors: how many, how many games each plays at once, and the snapshots they keep as
  /// opponents.
  ///
  /// ```swift
  /// var acting = TrainingConfiguration.Acting()
  /// acting.actors = 2
  /// ```
  public struct Acting: Codable, Sendable, Equatable {
    /// Games each actor plays at once; its batch is `gamesPerActor * teamSize` seats, and each of
    /// its trajectories one learner batch.
    public var gamesPerActor = 4
    /// Actor threads.
    public var actors = 1
    /// Learner steps between the snapshots kept as opponents.
    public var snapshotInterval = 100
    /// Snapshots kept as opponents (the oldest goes first).
    public var snapshotPoolSize = 10

    /// The defaults.
    public init() {}

    /// Reads the actors' keys; a missing one keeps its default.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      try container.read(.gamesPerActor, into: &gamesPerActor)
      try container.read(.actors, into: &actors)
      try container.read(.snapshotInterval, into: &snapshotInterval)
      try container.read(.snapshotPoolSize, into: &snapshotPoolSize)
    }

    /// Throws a ``TrainingError`` naming the first value out of range and what is allowed.
    func validate() throws {
      try require((1...64).contains(gamesPerActor), "gamesPerActor must be in 1...64, got \(gamesPerActor)")
      try require((1...16).contains(actors), "actors must be in 1...16, got \(actors)")
      try require(
        (1...1_000_000).contains(snapshotInterval) && (1...1000).contains(snapshotPoolSize),
        "snapshotInterval must be in 1...1000000 and snapshotPoolSize in 1...1000")
    }
  }
}
