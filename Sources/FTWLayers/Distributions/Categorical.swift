import FTWTensor

/// A categorical distribution over the last axis of `logits` `[..., K]` (TensorFlow
/// Probability's `Categorical`).
///
/// ```swift
/// let policy = Categorical(logits: logits)            // [B, K]
/// let actions = policy.sample(generator: &generator)  // IndexTensor [B]
/// ```
public struct Categorical: Sendable {
  public let logits: Tensor

  public init(logits: Tensor) {
    precondition(logits.rank >= 1, "Categorical needs logits [..., K], got \(logits.shape)")
    self.logits = logits
  }

  /// The normalised log probabilities `[..., K]`.
  public var logProbabilities: Tensor { logits.logSoftmax() }

  /// The probabilities `[..., K]`.
  public var probabilities: Tensor { logits.softmax() }

  /// The log probability of each action: `[...]`.
  public func logProbability(of actions: IndexTensor) -> Tensor {
    (logProbabilities * actions.oneHot(depth: logits.shape[logits.rank - 1])).sum(alongAxis: -1)
  }

  /// The entropy `-sum(p log p)`: `[...]`.
  public func entropy() -> Tensor {
    let logP = logProbabilities
    return -(logP.exp() * logP).sum(alongAxis: -1)
  }

  /// One action per row, drawn by inverting the cumulative probabilities at a uniform draw.
  public func sample(generator: inout RandomGenerator) -> IndexTensor {
    let classes = logits.shape[logits.rank - 1]
    let p = probabilities.scalars
    let rows = p.count / Swift.max(classes, 1)
    var actions = [Int32](repeating: 0, count: rows)
    for row in 0..<rows {
      let u = generator.nextUniform()
      var cumulative: Float = 0
      var chosen = classes - 1
      for k in 0..<classes {
        cumulative += p[row * classes + k]
        if u < cumulative {
          chosen = k
          break
        }
      }
      actions[row] = Int32(chosen)
    }
    return IndexTensor(shape: Array(logits.shape.dropLast()), scalars: actions)
  }
}
