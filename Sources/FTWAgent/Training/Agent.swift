import FTWEnvironments
import FTWLayers
import FTWNetworks
import FTWTensor

/// A copy of an agent's parameters at one learner step, for actors to load.
public struct WeightSnapshot: Sendable {
  /// The learner step the weights come from.
  public var version: Int
  /// Every parameter (trainable or not, the internal rewards too) by path, copied.
  public var tensors: [String: Tensor]
  /// The slow core's period (population-based training evolves it).
  public var slowCorePeriod: Float

  /// Creates a snapshot.
  public init(version: Int, tensors: [String: Tensor], slowCorePeriod: Float) {
    self.version = version
    self.tensors = tensors
    self.slowCorePeriod = slowCorePeriod
  }
}

/// The FTW agent as it plays capture the flag: the network of a ``TrainingConfiguration``, and the
/// conversions between the environment's actions and the policy's.
///
/// The network is `OAREmbedding(FtwTorso)` with the internal rewards weighing the game events,
/// `RPTH` with one slow core, and the policy/value head, whose policy is decomposed (one
/// categorical per action component, `[3, 3, 5, 2]`) or flat (one over the 90 actions).
///
/// ```swift
/// var generator = RandomGenerator(seed: 1)
/// let agent = try Agent(configuration: TrainingConfiguration(), generator: &generator)
/// agent.network.parameterCount
/// ```
public final class Agent {
  /// What the agent was built from.
  public let configuration: TrainingConfiguration
  /// Its network.
  public let network: FtwNetwork
  /// The internal rewards inside its embedding (shared with the learner's hyperparameters).
  public let internalRewards: InternalRewards
  /// The environment's action components.
  public let actionSpec = CaptureTheFlag.actionSpec

  /// Builds the network of `configuration`, initialised from `generator`.
  public init(configuration: TrainingConfiguration, generator: inout RandomGenerator) throws {
    try configuration.validate()
    self.configuration = configuration
    let size = configuration.world.viewSize
    let torso = try FtwTorso(
      observationShape: [size, size, 3],
      convFilters: [
        ConvFilter(configuration.network.torsoChannels[0], 8, 4),
        ConvFilter(configuration.network.torsoChannels[1], 4, 2),
      ],
      residualFilters: configuration.network.torsoResidualChannels.map { ConvFilter($0, 3, 1) },
      hiddenSize: configuration.network.torsoHiddenSize, generator: &generator)
    let events = GameEvent.allCases.count
    internalRewards = try InternalRewards(
      numEvents: events, initialValue: .exact(0), generator: &generator)
    try internalRewards.setValues(configuration.learning.internalRewards)
    let actionSizes =
      configuration.network.policy == .decomposed ? actionSpec.componentCounts : [actionSpec.flatCount]
    let embed = try OAREmbedding(
      torso: torso, numActions: actionSizes, internalRewards: internalRewards, rewardSize: events)
    let core = try RPTH(
      inputSize: embed.outputSize, period: [configuration.network.slowCorePeriod],
      options: VariationalUnitOptions(
        hiddenSize: configuration.network.coreHiddenSize, numDimensions: configuration.network.latentSize),
      generator: &generator)
    network = try FtwNetwork(
      embed: embed, core: core, numActions: actionSizes.reduce(0, +),
      actionSizes: actionSizes.count > 1 ? actionSizes : nil,
      headHiddenSize: configuration.network.headHiddenSize,
      generator: &generator)
  }

  /// The policy's actions as an action spec: the environment's components (decomposed), or one
  /// component of 90 choices (flat).
  public var policyActionSpec: ActionSpec {
    guard configuration.network.policy == .flat else { return actionSpec }
    let labels = (0..<actionSpec.flatCount).map { String($0) }
    return ActionSpec(components: [ActionComponent(name: "action", choices: labels)])
  }

  /// The policy's action (`[K]` components, or `[flat index]`) for an environment action.
  public func policyAction(_ components: [Int]) throws -> [Int] {
    configuration.network.policy == .decomposed ? components : [try actionSpec.flatIndex(of: components)]
  }

  /// Row `row` of the policy's actions (`[B, K]`, or `[B]` flat), in the policy's form.
  public func policyAction(_ actions: IndexTensor, row: Int) -> [Int] {
    let count = network.actionSizes.count
    return actions.scalars[(row * count)..<((row + 1) * count)].map(Int.init)
  }

  /// The policy's actions (`[B, K]`, or `[B]` flat) of one action per row in the policy's form.
  public func policyActions(_ rows: [[Int]]) -> IndexTensor {
    let count = network.actionSizes.count
    return IndexTensor(
      shape: count > 1 ? [rows.count, count] : [rows.count], scalars: rows.flatMap { $0.map(Int32.init) })
  }

  /// The environment action of row `row` of the policy's actions (`[B, K]`, or `[B]` flat).
  public func environmentAction(_ actions: IndexTensor, row: Int) throws -> [Int] {
    let values = policyAction(actions, row: row)
    return configuration.network.policy == .decomposed
      ? values : try actionSpec.components(ofFlatIndex: values[0])
  }

  /// What the agent sees at one time step per seat with the seats' previous actions in the
  /// policy's form (see ``policyAction(_:)``): the pixels, the events for the internal rewards.
  public func input(_ steps: [TimeStep], previousActions: [[Int]], observationSpec: ObservationSpec) throws
    -> AgentInput
  {
    try AgentInput(
      timeSteps: steps, previousActions: previousActions, observationSpec: observationSpec,
      actionSpec: policyActionSpec, rewardInput: .events)
  }

  /// A copy of every parameter, for actors.
  public func snapshot(version: Int) -> WeightSnapshot {
    var tensors: [String: Tensor] = [:]
    for (path, parameter) in network.namedParameters() {
      tensors[path] = Tensor(shape: parameter.value.shape, scalars: parameter.value.scalars)
    }
    let period = network.core.slowCores.first?.period ?? Float(configuration.network.slowCorePeriod)
    return WeightSnapshot(version: version, tensors: tensors, slowCorePeriod: period)
  }

  /// Throws unless `snapshot` fits this agent: a tensor of the right shape for every parameter
  /// and a valid slow-core period. Check snapshots that come from outside the process (a replay
  /// server, a file) before ``load(_:)``.
  public func check(_ snapshot: WeightSnapshot) throws {
    for (path, parameter) in network.namedParameters() {
      guard let tensor = snapshot.tensors[path] else {
        throw TrainingError("the weights have no parameter \(path): they come from another configuration")
      }
      guard tensor.shape == parameter.value.shape else {
        throw TrainingError(
          "the weights' \(path) has shape \(tensor.shape), the agent's \(parameter.value.shape)")
      }
    }
    if !network.core.slowCores.isEmpty {
      try PeriodicVariationalUnit.validate(period: snapshot.slowCorePeriod)
    }
  }

  /// Loads a snapshot taken from an agent of the same configuration (see ``check(_:)``).
  public func load(_ snapshot: WeightSnapshot) {
    for (path, parameter) in network.namedParameters() {
      guard let tensor = snapshot.tensors[path] else {
        preconditionFailure("the snapshot has no parameter \(path): it comes from another configuration")
      }
      parameter.value = tensor
    }
    for core in network.core.slowCores {
      do {
        try core.setPeriod(snapshot.slowCorePeriod)
      } catch {
        preconditionFailure("the snapshot's period \(snapshot.slowCorePeriod) is not valid: \(error)")
      }
    }
  }
}
