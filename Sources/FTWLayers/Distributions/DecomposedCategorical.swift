import FTWTensor

/// A product of independent categoricals, one per action component, whose logits lie side by side
/// on the last axis: the FTW paper's policy over decomposed actions.
///
/// `logits` is `[..., sizes.reduce(0, +)]`; component `k` owns `sizes[k]` consecutive logits. An
/// action is one index per component: `[..., K]` for `K` components, or `[...]` when there is only
/// one (then every method is exactly ``Categorical``'s). The log-probability and the entropy of an
/// action are the sums over components.
///
/// ```swift
/// let policy = DecomposedCategorical(logits: logits, sizes: [3, 3, 5, 2])  // logits [B, 13]
/// let actions = policy.sample(generator: &generator)   // IndexTensor [B, 4]
/// let logP = policy.logProbability(of: actions)        // [B]
/// ```
public struct DecomposedCategorical: Sendable {
  /// `[..., sizes.reduce(0, +)]`.
  public let logits: Tensor
  /// The number of choices of each component.
  public let sizes: [Int]

  /// - Precondition: every size is positive and they add up to the logits' last extent.
  public init(logits: Tensor, sizes: [Int]) {
    precondition(
      !sizes.isEmpty && sizes.allSatisfy { $0 > 0 } && logits.rank >= 1
        && sizes.reduce(0, +) == logits.shape[logits.rank - 1],
      "DecomposedCategorical needs positive sizes adding up to the logits' last extent, got \(sizes) for \(logits.shape)"
    )
    self.logits = logits
    self.sizes = sizes
  }

  /// One categorical per component, over its slice of the logits.
  public var components: [Categorical] {
    sizes.count == 1
      ? [Categorical(logits: logits)] : logits.split(sizes: sizes, alongAxis: -1).map(Categorical.init)
  }

  /// The log probability of each action `[..., K]` (or `[...]` for one component): `[...]`.
  public func logProbability(of actions: IndexTensor) -> Tensor {
    guard sizes.count > 1 else { return Categorical(logits: logits).logProbability(of: actions) }
    let terms = zip(components, Self.split(actions, count: sizes.count)).map { $0.logProbability(of: $1) }
    return terms.dropFirst().reduce(terms[0], +)
  }

  /// The entropy, the sum of the components' entropies: `[...]`.
  public func entropy() -> Tensor {
    let terms = components.map { $0.entropy() }
    return terms.dropFirst().reduce(terms[0], +)
  }

  /// One action per row: `[..., K]`, or `[...]` for one component. Components are drawn in
  /// order, each for every row.
  public func sample(generator: inout RandomGenerator) -> IndexTensor {
    guard sizes.count > 1 else { return Categorical(logits: logits).sample(generator: &generator) }
    let drawn = components.map { $0.sample(generator: &generator) }
    return Self.joined(drawn)
  }

  /// The `count` components of actions `[..., count]`, each `[...]`.
  public static func split(_ actions: IndexTensor, count: Int) -> [IndexTensor] {
    precondition(actions.shape.last == count, "actions must be [..., \(count)], got \(actions.shape)")
    let leading = Array(actions.shape.dropLast())
    return (0..<count).map { component in
      IndexTensor(
        shape: leading,
        scalars: stride(from: component, to: actions.scalars.count, by: count).map { actions.scalars[$0] })
    }
  }

  /// Actions `[..., K]` from `K` components of equal shape `[...]`.
  public static func joined(_ components: [IndexTensor]) -> IndexTensor {
    let count = components.count
    let rows = components[0].scalars.count
    precondition(components.allSatisfy { $0.shape == components[0].shape }, "components must share a shape")
    var scalars = [Int32](repeating: 0, count: rows * count)
    for (k, component) in components.enumerated() {
      for row in 0..<rows { scalars[row * count + k] = component.scalars[row] }
    }
    return IndexTensor(shape: components[0].shape + [count], scalars: scalars)
  }
}
