import FTWAgent

/// A network and a game small enough to train for a few steps in a test.
public func tinyConfiguration(policy: PolicyKind = .decomposed) -> TrainingConfiguration {
  var configuration = TrainingConfiguration()
  configuration.arena = "open"
  configuration.teamSize = 1
  configuration.viewSize = 32
  configuration.stepsPerGame = 20
  configuration.unrollLength = 5
  configuration.gamesPerActor = 2
  configuration.policy = policy
  configuration.torsoChannels = [4, 8]
  configuration.torsoResidualChannels = [8]
  configuration.torsoHiddenSize = 16
  configuration.coreHiddenSize = 16
  configuration.latentSize = 8
  configuration.headHiddenSize = 16
  configuration.slowCorePeriod = 2
  configuration.deterministic = true
  configuration.learningRate = 1e-5
  return configuration
}
