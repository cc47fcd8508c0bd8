import FTWAgent

/// A network and a game small enough to train for a few steps in a test.
public func tinyConfiguration(policy: PolicyKind = .decomposed) -> TrainingConfiguration {
  var configuration = TrainingConfiguration()
  configuration.world.arena = "open"
  // The random bot, not the league: tests that need another opponent set it.
  configuration.world.opponent = .random
  configuration.world.teamSize = 1
  configuration.world.viewSize = 32
  configuration.world.stepsPerGame = 20
  configuration.learning.unrollLength = 5
  configuration.acting.gamesPerActor = 2
  configuration.network.policy = policy
  configuration.network.torsoChannels = [4, 8]
  configuration.network.torsoResidualChannels = [8]
  configuration.network.torsoHiddenSize = 16
  configuration.network.coreHiddenSize = 16
  configuration.network.latentSize = 8
  configuration.network.headHiddenSize = 16
  configuration.network.slowCorePeriod = 2
  configuration.run.deterministic = true
  configuration.learning.learningRate = 1e-5
  return configuration
}
