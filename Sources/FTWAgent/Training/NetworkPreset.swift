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
    // The ftw preset's sizes are the configuration's defaults.
    var sizes = TrainingConfiguration()
    if self == .small {
      (sizes.torsoChannels, sizes.torsoResidualChannels) = ([16, 32], [32])
      (sizes.torsoHiddenSize, sizes.coreHiddenSize, sizes.latentSize, sizes.headHiddenSize) = (
        128, 128, 64, 128
      )
    }
    configuration.network = rawValue
    configuration.torsoChannels = sizes.torsoChannels
    configuration.torsoResidualChannels = sizes.torsoResidualChannels
    configuration.torsoHiddenSize = sizes.torsoHiddenSize
    configuration.coreHiddenSize = sizes.coreHiddenSize
    configuration.latentSize = sizes.latentSize
    configuration.headHiddenSize = sizes.headHiddenSize
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
