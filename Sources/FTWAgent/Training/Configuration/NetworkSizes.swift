/// The policy's form.
public enum PolicyKind: String, Codable, CaseIterable, Sendable {
  /// One categorical per action component (the paper's): move 3, strafe 3, turn 5, tag 2.
  case decomposed
  /// One categorical over the 90 composite actions.
  case flat
}

extension TrainingConfiguration {
  /// The agent's network: the preset its sizes came from, the policy's form and every size.
  ///
  /// ```swift
  /// var network = TrainingConfiguration.Network(preset: .small)  // torso [16, 32], core 128, ...
  /// network.policy = .flat
  /// ```
  public struct Network: Codable, Sendable, Equatable {
    /// The preset the sizes came from, for the record.
    public var preset = NetworkPreset.ftw
    /// Decomposed (the paper's) or flat.
    public var policy = PolicyKind.decomposed
    /// The channels of the torso's two convolutions (8x8 stride 4, then 4x4 stride 2).
    public var torsoChannels = [32, 64]
    /// The torso's residual blocks' channels.
    public var torsoResidualChannels = [64, 64]
    /// The torso's output size.
    public var torsoHiddenSize = 256
    /// RPTH's LSTM size.
    public var coreHiddenSize = 256
    /// RPTH's latent dimensions.
    public var latentSize = 256
    /// The slow core's period in steps.
    public var slowCorePeriod = 10
    /// The policy and value MLPs' hidden size.
    public var headHiddenSize = 256

    /// The paper's FTW-default network.
    public init() {}

    /// The sizes of `preset`.
    public init(preset: NetworkPreset) {
      self.preset = preset
      if preset == .small {
        (torsoChannels, torsoResidualChannels) = ([16, 32], [32])
        (torsoHiddenSize, coreHiddenSize, latentSize, headHiddenSize) = (128, 128, 64, 128)
      }
    }

    /// Reads the network's keys; a missing one keeps its default.
    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      try container.read(.preset, into: &preset)
      try container.read(.policy, into: &policy)
      try container.read(.torsoChannels, into: &torsoChannels)
      try container.read(.torsoResidualChannels, into: &torsoResidualChannels)
      try container.read(.torsoHiddenSize, into: &torsoHiddenSize)
      try container.read(.coreHiddenSize, into: &coreHiddenSize)
      try container.read(.latentSize, into: &latentSize)
      try container.read(.slowCorePeriod, into: &slowCorePeriod)
      try container.read(.headHiddenSize, into: &headHiddenSize)
    }

    /// Throws a ``TrainingError`` naming the first value out of range and what is allowed.
    func validate() throws {
      let sizes =
        torsoChannels + torsoResidualChannels + [torsoHiddenSize, coreHiddenSize, latentSize, headHiddenSize]
      try require(
        torsoChannels.count == 2 && !torsoResidualChannels.isEmpty
          && sizes.allSatisfy { (1...4096).contains($0) },
        "network sizes must be in 1...4096 with two torso convolutions and at least one residual block")
      try require(
        (1...100).contains(slowCorePeriod), "slowCorePeriod must be in 1...100, got \(slowCorePeriod)")
    }
  }
}

/// The network sizes a run can be made with by name: `ftw`, the paper's FTW-default network (the
/// configuration's defaults), and `small`, a quarter of its widths for quick experiments.
///
/// ```swift
/// var configuration = TrainingConfiguration()
/// configuration.network = .init(preset: .small)
/// ```
public enum NetworkPreset: String, Codable, CaseIterable, Sendable {
  case ftw, small
}
