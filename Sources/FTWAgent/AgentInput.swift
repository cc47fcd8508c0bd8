import FTWEnvironments
import FTWNetworks
import FTWTensor

/// What the network's reward input carries.
public enum RewardInput: Sendable, Equatable {
  /// The environment's scalar reward: `[B, 1]`.
  case reward
  /// The step's game events, for `InternalRewards` to weigh: `[B, eventCount]`.
  case events
}

/// What the agent saw at one step of a batch of seats (leading axes `[B]`) or at each step of a
/// trajectory batch (`[T+1, B]`): the pixels as bytes, the previous actions as one index tensor
/// per action component, and the previous reward or events. ``networkInput`` is what the network
/// takes: the same with the pixels scaled to [0, 1].
///
/// ```swift
/// let steps = game.reset()
/// let noop = Array(repeating: CTFAction.none.components, count: steps.count)
/// let input = try AgentInput(
///   timeSteps: steps, previousActions: noop, observationSpec: game.observationSpec,
///   actionSpec: game.actionSpec, rewardInput: .events)
/// let embedding = embed(input.networkInput)  // [B, embed.outputSize]
/// ```
public struct AgentInput: Sendable {
  /// The pixels, `[..., H, W, 3]`.
  public var observation: PixelBytes
  /// The previous action of each action component, `[...]` each.
  public var actions: [IndexTensor]
  /// The previous reward `[..., 1]` or events `[..., eventCount]`.
  public var reward: Tensor

  /// An input of these parts, whose leading axes agree.
  public init(observation: PixelBytes, actions: [IndexTensor], reward: Tensor) {
    self.observation = observation
    self.actions = actions
    self.reward = reward
  }

  /// The input of one time step per player: each player's pixels, previous action and reward or
  /// events.
  ///
  /// - Throws: `EnvironmentError` when the steps' arrays or the actions do not match the specs.
  public init(
    timeSteps: [TimeStep], previousActions: [[Int]], observationSpec: ObservationSpec, actionSpec: ActionSpec,
    rewardInput: RewardInput
  ) throws(EnvironmentError) {
    let batch = timeSteps.count
    guard batch > 0, previousActions.count == batch else {
      throw .invalidConfiguration(
        "one previous action per time step: \(batch) steps, \(previousActions.count) actions")
    }
    let pixelCount = observationSpec.pixels.elementCount
    let eventCount = observationSpec.eventNames.count
    for step in timeSteps {
      guard step.observation.pixels.count == pixelCount, step.observation.events.count == eventCount else {
        throw .invalidConfiguration(
          "observations must have \(pixelCount) pixel bytes and \(eventCount) events, got "
            + "\(step.observation.pixels.count) and \(step.observation.events.count)")
      }
    }
    for action in previousActions { try actionSpec.validate(action) }
    var pixels: [UInt8] = []
    pixels.reserveCapacity(batch * pixelCount)
    for step in timeSteps { pixels += step.observation.pixels }
    let actions = actionSpec.components.indices.map { component in
      IndexTensor(previousActions.map { Int32($0[component]) })
    }
    let reward: Tensor
    switch rewardInput {
    case .reward: reward = Tensor(shape: [batch, 1], scalars: timeSteps.map(\.reward))
    case .events:
      reward = Tensor(shape: [batch, eventCount], scalars: timeSteps.flatMap(\.observation.events))
    }
    self.init(
      observation: PixelBytes(shape: [batch] + observationSpec.pixels.shape, bytes: pixels), actions: actions,
      reward: reward)
  }

  /// The network's input: the pixels scaled to [0, 1] by 1/255, the actions and reward as they are.
  public var networkInput: ObservationActionReward {
    ObservationActionReward(observation: observation.scaled(), actions: actions, reward: reward)
  }

  /// `steps`, inputs of one shape, stacked along a new leading time axis.
  public static func stacked(_ steps: [AgentInput]) -> AgentInput {
    guard let first = steps.first else { preconditionFailure("stacking no inputs") }
    return AgentInput(
      observation: .stacked(steps.map(\.observation)),
      actions: first.actions.indices.map { group in
        let parts = steps.map { $0.actions[group] }
        return IndexTensor(shape: [parts.count] + parts[0].shape, scalars: parts.flatMap(\.scalars))
      },
      reward: stack(steps.map(\.reward)))
  }
}
