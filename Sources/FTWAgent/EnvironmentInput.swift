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

extension ObservationActionReward {
  /// The network input of one time step per player: the pixels scaled to [0, 1] by 1/255
  /// (`[B, H, W, 3]`), the previous actions as one index tensor per action component (`[B]`
  /// each), and the reward or the events.
  ///
  /// ```swift
  /// let steps = game.reset()
  /// let noop = Array(repeating: CTFAction.none.components, count: steps.count)
  /// let input = try ObservationActionReward(
  ///   timeSteps: steps, previousActions: noop, observationSpec: game.observationSpec,
  ///   actionSpec: game.actionSpec, rewardInput: .events)
  /// ```
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
    let observation = Tensor(shape: [batch] + observationSpec.pixels.shape) { buffer in
      for (index, step) in timeSteps.enumerated() {
        step.observation.pixels.withUnsafeBufferPointer { bytes in
          let base = index * pixelCount
          for byte in 0..<pixelCount { buffer[base + byte] = Float(bytes[byte]) / 255 }
        }
      }
    }
    let actions = actionSpec.components.indices.map { component in
      IndexTensor(previousActions.map { Int32($0[component]) })
    }
    let reward: Tensor
    switch rewardInput {
    case .reward: reward = Tensor(shape: [batch, 1], scalars: timeSteps.map(\.reward))
    case .events:
      reward = Tensor(shape: [batch, eventCount], scalars: timeSteps.flatMap(\.observation.events))
    }
    self.init(observation: observation, actions: actions, reward: reward)
  }
}
