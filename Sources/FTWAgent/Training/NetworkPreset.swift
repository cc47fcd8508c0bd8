import FTWEnvironments

/// The network sizes a run can be made with by name: `ftw`, the paper's FTW-default network (the
/// configuration's defaults), and `small`, a quarter of its widths for quick experiments.
///
/// ```swift
/// var configuration = TrainingConfiguration()
/// NetworkPreset.small.apply(to: &configuration)   // torso [16, 32], core 128, ...
/// ```
public enum NetworkPreset: String, CaseIterable, Sendable {
  case ftw, small

  /// Sets `configuration`'s network sizes, and its `network` name, to the preset's.
  public func apply(to configuration: inout TrainingConfiguration) {
    configuration.network = rawValue
    switch self {
    case .ftw:
      let defaults = TrainingConfiguration()
      configuration.torsoChannels = defaults.torsoChannels
      configuration.torsoResidualChannels = defaults.torsoResidualChannels
      configuration.torsoHiddenSize = defaults.torsoHiddenSize
      configuration.coreHiddenSize = defaults.coreHiddenSize
      configuration.latentSize = defaults.latentSize
      configuration.headHiddenSize = defaults.headHiddenSize
    case .small:
      configuration.torsoChannels = [16, 32]
      configuration.torsoResidualChannels = [32]
      configuration.torsoHiddenSize = 128
      configuration.coreHiddenSize = 128
      configuration.latentSize = 64
      configuration.headHiddenSize = 128
    }
  }
}

extension TrainingConfiguration {
  /// Changes internal reward weights from `event=weight` pairs, comma-separated
  /// (`i_captured=2,i_was_tagged=-0.5`); throws naming a pair that is not one, with the events.
  public mutating func changeInternalRewards(_ pairs: String) throws {
    for pair in pairs.split(separator: ",") {
      let parts = pair.split(separator: "=")
      guard parts.count == 2, let index = GameEvent.names.firstIndex(of: String(parts[0])),
        let weight = Float(parts[1])
      else {
        throw TrainingError(
          "internal rewards take event=weight pairs with events among \(GameEvent.names.joined(separator: ", ")); got '\(pair)'"
        )
      }
      internalRewards[index] = weight
    }
  }
}
