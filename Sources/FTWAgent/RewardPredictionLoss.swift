import FTWLayers
import FTWTensor

/// The reward-prediction auxiliary loss: rewards become classes (0 zero, 1 negative, 2 positive)
/// and the loss is the summed softmax cross-entropy of the logits `[B, 3]` with them.
///
/// ```swift
/// let (loss, labels) = RewardPredictionLoss()(logits: logits, rewards: rewards)
/// ```
public struct RewardPredictionLoss: Sendable {
  public init() {}

  /// The class of each reward `[B]`: 0 for zero, 1 for negative, 2 for positive.
  public static func labels(_ rewards: Tensor) -> IndexTensor {
    IndexTensor(shape: rewards.shape, scalars: rewards.scalars.map { $0 > 0 ? 2 : ($0 < 0 ? 1 : 0) })
  }

  public func callAsFunction(logits: Tensor, rewards: Tensor) -> (loss: Tensor, labels: IndexTensor) {
    let labels = Self.labels(rewards)
    return (-Categorical(logits: logits).logProbability(of: labels).sum(), labels)
  }
}
