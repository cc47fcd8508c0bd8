import FTWLayers
import FTWTensor

/// One step's observation, previous action(s) and reward, batched (acme's `OAR`).
///
/// - `observation`: `[B, H, W, C]`.
/// - `actions`: one `[B]` index tensor per action group (one for a plain discrete action space).
/// - `reward`: `[B]`, or `[B, E]` game events.
///
/// With a leading time axis (`[T, B, ...]` everywhere) it is a trajectory.
public struct ObservationActionReward: Sendable {
  public var observation: Tensor
  public var actions: [IndexTensor]
  public var reward: Tensor

  public init(observation: Tensor, actions: [IndexTensor], reward: Tensor) {
    self.observation = observation
    self.actions = actions
    self.reward = reward
  }

  /// A step with a single action group.
  public init(observation: Tensor, action: IndexTensor, reward: Tensor) {
    self.init(observation: observation, actions: [action], reward: reward)
  }

  /// Step `t` of a trajectory `[T, B, ...]`: every field's element `t` of the time axis.
  public func step(_ t: Int) -> ObservationActionReward {
    ObservationActionReward(
      observation: observation.element(t), actions: actions.map { $0.element(t) }, reward: reward.element(t))
  }

  /// The first `axes` axes of every field merged into one (for batch-applying over `[T, B]`).
  public func mergingLeadingAxes(_ axes: Int = 2) -> ObservationActionReward {
    func merge(_ shape: [Int]) -> [Int] { [shape.prefix(axes).reduce(1, *)] + shape.dropFirst(axes) }
    return ObservationActionReward(
      observation: observation.reshaped(to: merge(observation.shape)),
      actions: actions.map { $0.reshaped(to: merge($0.shape)) },
      reward: reward.reshaped(to: merge(reward.shape)))
  }
}

/// Embeds observation, previous action and reward together (the reference's `OAREmbedding`):
/// `[torso(observation), one-hot action(s), tanh(reward)]`.
///
/// A multi-discrete (decomposed) action space concatenates one one-hot encoding per action group.
/// With ``InternalRewards``, the reward is `tanh(events * w)` for one event, or `tanh(events · w)`
/// (one value, a trailing axis of size 1) for several; without, `tanh(reward)` of its
/// `rewardSize` components. The internal reward weights are a non-trainable parameter
/// (`internal_rewards_variables`).
///
/// Output `[B, torso.hiddenSize + sum(numActions) + rewardWidth]`.
///
/// ```swift
/// let embed = try OAREmbedding(torso: torso, numActions: [9])
/// let e = embed(ObservationActionReward(observation: frames, action: actions, reward: rewards))
/// ```
public final class OAREmbedding: Module {
  public let torso: FtwTorso
  public let numActions: [Int]
  public let internalRewards: InternalRewards?
  /// The trailing size of the reward input: 1 for scalar rewards, `E` for `[B, E]` events.
  public let rewardSize: Int

  /// - Throws: `ModuleError` for an empty or non-positive `numActions`, or a `rewardSize` that the
  ///   internal rewards cannot take (they need `rewardSize == numEvents`).
  public init(
    torso: FtwTorso, numActions: [Int], internalRewards: InternalRewards? = nil, rewardSize: Int = 1
  ) throws {
    guard !numActions.isEmpty, numActions.allSatisfy({ $0 > 0 }) else {
      throw ModuleError(
        module: "OAREmbedding", argument: "num_actions",
        message: "must be a positive int or a non-empty sequence of positive ints, got \(numActions)")
    }
    try ModuleError.requirePositive(rewardSize, "reward_size", in: "OAREmbedding")
    if let internalRewards, internalRewards.numEvents != rewardSize {
      throw ModuleError(
        module: "OAREmbedding", argument: "internal_rewards",
        message: "has \(internalRewards.numEvents) events but the reward has \(rewardSize) components")
    }
    self.torso = torso
    self.numActions = numActions
    self.internalRewards = internalRewards
    self.rewardSize = rewardSize
    super.init(name: "oar_embedding")
    register(torso, as: "torso")
    if let internalRewards {
      register(
        internalRewards.variable, as: "internal_rewards_variables", reference: "_internal_rewards_variables")
    }
  }

  /// The embedding's size.
  public var outputSize: Int {
    torso.hiddenSize + numActions.reduce(0, +) + (internalRewards == nil ? rewardSize : 1)
  }

  public func callAsFunction(_ input: ObservationActionReward) -> Tensor {
    precondition(
      input.actions.count == numActions.count,
      "OAREmbedding expects \(numActions.count) action groups, got \(input.actions.count)")
    let reward = input.reward.rank == 1 ? input.reward.expandingShape(at: -1) : input.reward
    precondition(
      reward.shape.last == rewardSize,
      "OAREmbedding expects rewards [B, \(rewardSize)], got \(input.reward.shape)")
    let actions = zip(input.actions, numActions).map { $0.oneHot(depth: $1) }
    var weighted = reward
    if let internalRewards {
      weighted = internalRewards.reward(events: reward)
      if weighted.rank < reward.rank { weighted = weighted.expandingShape(at: -1) }
    }
    return concatenate([torso(input.observation)] + actions + [weighted.tanh()], alongAxis: -1)
  }
}
