import FTWEnvironments
import FTWLayers
import FTWNetworks
import FTWTensor
import Foundation

/// Where a member stands: its lineage and its counts. Saved with the population's state.
public struct MemberRecord: Codable, Sendable, Equatable {
  /// How many times it copied another member.
  public var generation = 0
  /// The member it last copied, if any.
  public var parent: Int?
  /// Frames it trained on.
  public var frames = 0
  /// Frames it trained on since it last changed (by an exploit).
  public var framesSinceChange = 0
  /// Its evolved values.
  public var values: EvolvedValues

  /// A new member's record: generation 0, no frames yet.
  public init(values: EvolvedValues) { self.values = values }
}

/// One member of a population: its own agent, learner (network, optimiser state, hyperparameters)
/// and auxiliary tasks, and the values evolution sets.
///
/// ```swift
/// let member = try PopulationMember(index: 0, configuration: configuration, values: values, generator: &g)
/// let metrics = try member.learner.step(batch)
/// ```
public final class PopulationMember {
  /// Its place in the population.
  public let index: Int
  /// Its agent (the learner's network).
  public let agent: Agent
  /// Its learner.
  public let learner: FtwLearner
  /// Its pixel control and reward prediction.
  public let auxiliaryTasks: AuxiliaryTasks
  /// Its lineage, counts and evolved values.
  public private(set) var record: MemberRecord

  /// A member of `configuration`'s network, initialised from `generator`, with `values`.
  public init(
    index: Int, configuration: TrainingConfiguration, values: EvolvedValues, generator: inout RandomGenerator
  ) throws {
    self.index = index
    agent = try Agent(configuration: configuration, generator: &generator)
    learner = try FtwLearner(agent: agent, configuration: configuration, generator: &generator)
    auxiliaryTasks = try AuxiliaryTasks(agent: agent, configuration: configuration, generator: &generator)
    record = MemberRecord(values: values)
    try apply(values)
  }

  /// Its evolved values.
  public var values: EvolvedValues { record.values }

  /// Counts `frames` more frames trained on.
  public func count(frames: Int) {
    record.frames += frames
    record.framesSinceChange += frames
  }

  /// Puts `record` back (on resuming) and applies its values.
  func restore(_ record: MemberRecord) throws {
    try apply(record.values)
    self.record = record
  }

  /// Sets the learner's hyperparameters, loss costs and the agent's internal rewards.
  private func apply(_ values: EvolvedValues) throws {
    let hyperparameters = learner.hyperparameters
    try hyperparameters.learningRate.setValues([values.learningRate])
    try hyperparameters.entropyCost.setValues([values.entropyCost])
    try hyperparameters.slowCorePeriod.setValues([Float(values.slowCorePeriod)])
    try agent.internalRewards.setValues(values.internalRewards)
    learner.configuration.klPriorFixedCost = values.klPriorFixedCost
    learner.configuration.klPriorPosteriorCost = values.klPriorPosteriorCost
    learner.configuration.pixelControlCost = values.pixelControlCost
    learner.configuration.rewardPredictionCost = values.rewardPredictionCost
    try agent.network.core.setScaleGradientsFastToSlow(values.fastToSlowGradientScale)
    for core in agent.network.core.slowCores { try core.setPeriod(Float(values.slowCorePeriod)) }
    record.values = values
  }

  /// Becomes a copy of `donor` and explores: copies its weights (network and auxiliary tasks), its
  /// optimisers' state and its values, then perturbs the values by `rule`. The optimiser state is
  /// copied rather than started afresh because RMSProp's running mean of squared gradients belongs
  /// to the weights: from zero, its first steps would be about ten times the learning rate on
  /// weights that are already trained. Its rating, set by the caller, is the donor's.
  ///
  /// Returns the values before and after.
  @discardableResult
  public func exploit(_ donor: PopulationMember, rule: PopulationConfiguration, seeds: inout SplitMix64)
    throws
    -> (before: EvolvedValues, after: EvolvedValues)
  {
    let before = values
    let pairs =
      [(agent.network as Module, donor.agent.network as Module)]
      + auxiliaryTasks.modules.keys.sorted().map {
        (auxiliaryTasks.modules[$0]!, donor.auxiliaryTasks.modules[$0]!)
      }
    for (mine, theirs) in pairs {
      let source = Dictionary(uniqueKeysWithValues: theirs.namedParameters().map { ($0.path, $0.parameter) })
      for (path, parameter) in mine.namedParameters() {
        let value = source[path]!.value
        parameter.value = Tensor(shape: value.shape, scalars: value.scalars)
      }
    }
    for ((_, mine), (_, theirs)) in zip(learner.optimizers, donor.learner.optimizers) {
      try mine.load(state: theirs.state.mapValues { Tensor(shape: $0.shape, scalars: $0.scalars) })
    }
    let after = donor.values.perturbed(
      probability: rule.perturbProbability, maxChange: rule.perturbMaxChange, seeds: &seeds)
    try apply(after)
    record.generation += 1
    record.parent = donor.index
    record.framesSinceChange = 0
    return (before, after)
  }
}
