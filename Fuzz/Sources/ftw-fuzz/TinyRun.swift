import FTWAgent
import FTWTensor
import Foundation

/// The smallest run the fuzz targets need a learner of: a network a few units wide on a 16-pixel
/// view, 1 v 1 with unrolls of 5 steps, so that building, saving and restoring it is quick.
///
/// ```swift
/// let learner = try TinyRun.learner()
/// ```
enum TinyRun {
  static var configuration: TrainingConfiguration {
    var configuration = TrainingConfiguration()
    configuration.world.arena = "open"
    configuration.world.opponent = .random
    configuration.world.teamSize = 1
    configuration.world.viewSize = 16
    configuration.world.stepsPerGame = 20
    configuration.learning.unrollLength = 5
    configuration.network.torsoChannels = [2, 2]
    configuration.network.torsoResidualChannels = [2]
    configuration.network.torsoHiddenSize = 4
    configuration.network.coreHiddenSize = 4
    configuration.network.latentSize = 2
    configuration.network.headHiddenSize = 4
    return configuration
  }

  /// A new learner of the tiny network.
  static func learner() throws -> FtwLearner {
    var generator = RandomGenerator(seed: 1)
    let agent = try Agent(configuration: configuration, generator: &generator)
    return try FtwLearner(agent: agent, configuration: configuration, generator: &generator)
  }
}
