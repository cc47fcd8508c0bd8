import FTWLayers
import FTWTensor

/// What ``FtwNetwork`` returns for a step, or for a whole trajectory with a leading time axis:
/// policy logits `[B, A]`, value `[B]`, and RPTH's output.
public struct FtwNetworkOutput: Sendable {
  public var logits: Tensor
  public var value: Tensor
  public var coreOutput: RPTHOutput
}

/// The FTW agent's network (the reference's `FtwNetwork`): an observation-action-reward
/// embedding, an ``RPTH`` core, and a ``PolicyValueHead`` on RPTH's sample `z`.
///
/// Parameters: `embed/...`, `core/...`, `head/...`.
///
/// ```swift
/// var g = RandomGenerator(seed: 0)
/// let torso = try FtwTorso(generator: &g)
/// let embed = try OAREmbedding(torso: torso, numActions: [9])
/// let rpth = try RPTH(inputSize: embed.outputSize, period: [10], generator: &g)
/// let network = try FtwNetwork(embed: embed, core: rpth, numActions: 9, generator: &g)
/// var state = network.initialState(batchSize: 1)
/// let (action, _, next) = network.selectAction(step, state, generator: &g)
/// ```
public final class FtwNetwork: Module, RecurrentCore {
  public let embed: OAREmbedding
  public let core: RPTH
  public let head: PolicyValueHead
  /// The sizes of the policy's action components: `[numActions]` for one categorical, or the
  /// components of a decomposed policy (``DecomposedCategorical``) whose logits the head emits side
  /// by side.
  public let actionSizes: [Int]

  /// - Parameter actionSizes: a decomposed policy's component sizes, adding up to `numActions`;
  ///   `nil` for one categorical over `numActions`.
  /// - Throws: `ModuleError` when the core does not take the embedding's size, or the action sizes
  ///   are not positive or do not add up to `numActions`.
  public init(
    embed: OAREmbedding, core: RPTH, numActions: Int, actionSizes: [Int]? = nil, headHiddenSize: Int = 256,
    name: String = "simple_ftw_network",
    generator: inout RandomGenerator
  ) throws {
    if let actionSizes,
      actionSizes.isEmpty || !actionSizes.allSatisfy({ $0 > 0 }) || actionSizes.reduce(0, +) != numActions
    {
      throw ModuleError(
        module: "FtwNetwork", argument: "action_sizes",
        message: "must be positive and add up to num_actions \(numActions), got \(actionSizes)")
    }
    guard core.inputSize == embed.outputSize else {
      throw ModuleError(
        module: "FtwNetwork", argument: "core",
        message: "takes inputs of size \(core.inputSize), but the embedding has size \(embed.outputSize)")
    }
    self.embed = embed
    self.core = core
    self.actionSizes = actionSizes ?? [numActions]
    head = try PolicyValueHead(
      inputSize: core.numDimensions, numActions: numActions, hiddenSize: headHiddenSize, generator: &generator
    )
    super.init(name: name)
    register(embed, as: "embed")
    register(core, as: "core")
    register(head, as: "head")
  }

  public func initialState(batchSize: Int) -> RPTHState { core.initialState(batchSize: batchSize) }

  /// One step, with RPTH's noise drawn from its generator.
  public func callAsFunction(_ input: ObservationActionReward, _ state: RPTHState) -> (
    FtwNetworkOutput, RPTHState
  ) {
    step(input, state, noise: nil)
  }

  /// One step; `noise` `[B, D]` is RPTH's posterior noise, or `nil` to draw it.
  public func step(
    _ input: ObservationActionReward, _ state: RPTHState, noise: Tensor?
  ) -> (FtwNetworkOutput, RPTHState) {
    let embedding = embed(input)
    let (coreOutput, next) = noise.map { core.step(embedding, state, noise: $0) } ?? core(embedding, state)
    let (logits, value) = head(coreOutput.z)
    return (FtwNetworkOutput(logits: logits, value: value, coreOutput: coreOutput), next)
  }

  /// A whole trajectory `[T, B, ...]`: the embedding and the head batch-applied over time, RPTH
  /// unrolled. `noise` is `[T, B, D]`, or `nil` to draw it. Outputs have a leading `[T, B]`.
  public func unroll(
    _ inputs: ObservationActionReward, _ state: RPTHState, noise: Tensor? = nil
  ) -> (output: FtwNetworkOutput, finalState: RPTHState) {
    let leading = Array(inputs.observation.shape.prefix(2))
    let embeddings = embed(inputs.mergingLeadingAxes()).reshaped(to: leading + [embed.outputSize])
    let (coreOutput, final) = core.unroll(embeddings, state, noise: noise)
    let (logits, values) = head(coreOutput.z.reshaped(to: [-1, core.numDimensions]))
    return (
      FtwNetworkOutput(
        logits: logits.reshaped(to: leading + [head.numActions]), value: values.reshaped(to: leading),
        coreOutput: coreOutput),
      final
    )
  }

  /// The acting step: an action sampled from the policy (`[B]`, or `[B, K]` for `K` action
  /// components), the logits, and the next state. Records no gradient graph (no parameter is
  /// watched outside a gradient computation).
  public func selectAction(
    _ input: ObservationActionReward, _ state: RPTHState, generator: inout RandomGenerator
  ) -> (action: IndexTensor, logits: Tensor, state: RPTHState) {
    let (output, next) = self(input, state)
    let policy = DecomposedCategorical(logits: output.logits, sizes: actionSizes)
    return (policy.sample(generator: &generator), output.logits, next)
  }
}
