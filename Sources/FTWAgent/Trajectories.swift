import FTWLayers
import FTWNetworks
import FTWTensor

/// A batch of trajectories as the learner trains on them (the reference's replay sample),
/// `T+1` steps of `B` sequences.
///
/// - `inputs`: what the agent saw at each step: the pixels as bytes `[T+1, B, H, W, C]`, the
///   previous actions, the previous reward or events.
/// - `actions`: `[T+1, B]`, or `[T+1, B, K]` for a decomposed policy: the actions taken (the last
///   one is not trained on).
/// - `rewards`: `[T+1, B]`, or game events `[T+1, B, E]` that the internal rewards weigh.
/// - `discounts`: `[T+1, B]`, 0 where an episode ended, else 1.
/// - `behaviourLogits`: `[T+1, B, A]`, the actors' policy logits (all components' side by side).
/// - `initialState`: the network's recurrent state before step 0.
public struct TrajectoryBatch: Sendable {
  public var inputs: AgentInput
  public var actions: IndexTensor
  public var rewards: Tensor
  public var discounts: Tensor
  public var behaviourLogits: Tensor
  public var initialState: RPTHState

  public init(
    inputs: AgentInput, actions: IndexTensor, rewards: Tensor, discounts: Tensor,
    behaviourLogits: Tensor,
    initialState: RPTHState
  ) {
    self.inputs = inputs
    self.actions = actions
    self.rewards = rewards
    self.discounts = discounts
    self.behaviourLogits = behaviourLogits
    self.initialState = initialState
  }

  /// `T + 1`.
  public var length: Int { actions.shape[0] }
  /// `B`.
  public var batchSize: Int { actions.shape[1] }
  /// The frames a learner step on the batch trains on, `T · B`: every run counts its frames so.
  public var frames: Int { (length - 1) * batchSize }

  /// The first `T` entries of `tensor`'s time axis.
  func transitions(_ tensor: Tensor) -> Tensor { tensor.slice(0..<(length - 1), alongAxis: 0) }

  /// The first `T` actions.
  var transitionActions: IndexTensor {
    let width = actions.shape.dropFirst().reduce(1, *)
    return IndexTensor(
      shape: [length - 1] + actions.shape.dropFirst(),
      scalars: Array(actions.scalars.prefix((length - 1) * width)))
  }
}
