import FTWEnvironments
import FTWTensor

/// What an ``Experience`` of a configuration's agent must look like before a learner steps on it:
/// its shapes, its actions in range, its numbers finite. Experience made in the learner's process
/// fits by construction; experience from other processes (a replay server's items, written by any
/// client) is checked, so that an item of another configuration or a damaged or hostile one is
/// refused with a reason instead of crashing the learner or poisoning its weights with NaNs.
///
/// Shapes, for `T` the unroll length, any batch `B` up to ``maximumBatch``, `H = W` the view size,
/// `K` action components of sizes `n_k` (one of 90 for a flat policy), `E` game events:
/// observation `[T+1, B, H, W, 3]`, previous actions `K × [T+1, B]`, previous events and events
/// `[T+1, B, E]`, actions `[T+1, B, K]` (`[T+1, B]` flat), discounts `[T+1, B]` in [0, 1],
/// behaviour logits `[T+1, B, Σ n_k]` with magnitudes at most ``maximumLogit``.
///
/// ```swift
/// let spec = TrajectorySpec(configuration: configuration)
/// try spec.check(experience, members: 1)  // throws TrainingError naming what is wrong
/// ```
public struct TrajectorySpec: Sendable, Equatable {
  /// `T`.
  public let unrollLength: Int
  /// `H` and `W`.
  public let viewSize: Int
  /// The policy's components' sizes `n_k`.
  public let actionSizes: [Int]
  /// `E`.
  public let eventCount: Int

  /// The largest batch accepted: far above any configuration's, below what would exhaust memory.
  public static let maximumBatch = 1024
  /// The largest logit magnitude accepted; a network's are orders of magnitude below it, and
  /// larger ones make V-trace's importance weights overflow.
  public static let maximumLogit: Float = 1e4

  /// The spec of the agent of `configuration`.
  public init(configuration: TrainingConfiguration) {
    unrollLength = configuration.learning.unrollLength
    viewSize = configuration.world.viewSize
    let spec = CaptureTheFlag.actionSpec
    actionSizes = configuration.network.policy == .decomposed ? spec.componentCounts : [spec.flatCount]
    eventCount = GameEvent.allCases.count
  }

  /// Throws unless `experience` is of a member below `members` and its trajectory and games fit.
  public func check(_ experience: Experience, members: Int) throws {
    guard (0..<members).contains(experience.member) else {
      throw TrainingError("the experience is of member \(experience.member); the run has \(members)")
    }
    try check(experience.trajectory)
    for game in experience.games { try check(game, members: members) }
  }

  /// Throws unless `trajectory` has this spec's shapes, its actions are in range and its numbers
  /// are finite (the recurrent state's too).
  public func check(_ trajectory: TrajectoryBatch) throws {
    let steps = trajectory.inputs.observation.shape.first ?? 0
    let batch = trajectory.inputs.observation.shape.dropFirst().first ?? 0
    guard steps == unrollLength + 1, (1...Self.maximumBatch).contains(batch) else {
      throw TrainingError(
        "the trajectory has \(steps) steps of \(batch) seats; the run's have \(unrollLength + 1) steps "
          + "of 1...\(Self.maximumBatch)")
    }
    let leading = [steps, batch]
    try expect("observation", trajectory.inputs.observation.shape, leading + [viewSize, viewSize, 3])
    guard trajectory.inputs.actions.count == actionSizes.count else {
      throw TrainingError(
        "the trajectory has \(trajectory.inputs.actions.count) previous-action components; "
          + "the policy has \(actionSizes.count)")
    }
    for (component, previous) in trajectory.inputs.actions.enumerated() {
      try expect("previous action \(component)", previous.shape, leading)
      try expectInRange("previous action \(component)", previous.scalars, below: actionSizes[component])
    }
    try expect("previous events", trajectory.inputs.reward.shape, leading + [eventCount])
    try expect("events", trajectory.rewards.shape, leading + [eventCount])
    try expect(
      "actions", trajectory.actions.shape, leading + (actionSizes.count > 1 ? [actionSizes.count] : []))
    for (component, size) in actionSizes.enumerated() {
      let values = stride(from: component, to: trajectory.actions.scalars.count, by: actionSizes.count)
        .map { trajectory.actions.scalars[$0] }
      try expectInRange("action component \(component)", values, below: size)
    }
    try expect("discounts", trajectory.discounts.shape, leading)
    guard trajectory.discounts.scalars.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
      throw TrainingError("a discount is outside [0, 1]")
    }
    try expect("behaviour logits", trajectory.behaviourLogits.shape, leading + [actionSizes.reduce(0, +)])
    guard trajectory.behaviourLogits.scalars.allSatisfy({ abs($0) <= Self.maximumLogit }) else {
      throw TrainingError("a behaviour logit is not finite or above \(Self.maximumLogit) in magnitude")
    }
    for (name, tensor) in [("previous events", trajectory.inputs.reward), ("events", trajectory.rewards)]
    where !tensor.scalars.allSatisfy(\.isFinite) {
      throw TrainingError("the \(name) are not all finite")
    }
    for leaf in trajectory.initialState.namedTensors() where !leaf.tensor.scalars.allSatisfy(\.isFinite) {
      throw TrainingError("the initial state's \(leaf.name) is not all finite")
    }
  }

  /// Throws unless `game` names members below `members` and its counts are plausible.
  private func check(_ game: GameRecord, members: Int) throws {
    guard game.members.count == 2, game.scores.count == 2, game.pickups.count == 2,
      game.members.joined().allSatisfy({ (0..<members).contains($0) }),
      (game.scores + game.pickups).allSatisfy({ (0...1_000_000).contains($0) })
    else {
      throw TrainingError(
        "a game record is malformed (members \(game.members), scores \(game.scores), pick-ups \(game.pickups))"
      )
    }
  }

  private func expect(_ name: String, _ shape: [Int], _ expected: [Int]) throws {
    guard shape == expected else {
      throw TrainingError("the \(name) have shape \(shape); the run's are \(expected)")
    }
  }

  private func expectInRange(_ name: String, _ values: [Int32], below size: Int) throws {
    guard values.allSatisfy({ $0 >= 0 && Int($0) < size }) else {
      throw TrainingError("a \(name) is outside 0..<\(size)")
    }
  }
}
