/// One recorded op: its differentiable inputs and how to map the output's cotangent to theirs.
///
/// The graph lives in the tensors that hold these nodes: when the last tensor computed from a
/// watched leaf goes away, so does its graph.
final class GradientNode: @unchecked Sendable {
  let inputs: [GradientNode?]
  /// Maps the output cotangent to one cotangent per input (`nil` where the input needs none).
  let pullback: ((Tensor) -> [Tensor?])?

  init(inputs: [GradientNode?], pullback: ((Tensor) -> [Tensor?])?) {
    self.inputs = inputs
    self.pullback = pullback
  }
}

extension Tensor {
  /// This tensor's values as a new leaf that records the ops applied to it, so that
  /// ``gradients(of:withRespectTo:)`` can differentiate with respect to it.
  public func watched() -> Tensor {
    Tensor(shape: shape, storage: storage, node: GradientNode(inputs: [], pullback: nil))
  }

  /// Attaches a pullback to `self`, an op's result computed from `inputs`.
  ///
  /// Ops call this only when some input requires a gradient. `pullback` returns one cotangent per
  /// input, in order, and may return `nil` for inputs that do not require a gradient.
  func recording(_ inputs: [Tensor], pullback: @escaping (Tensor) -> [Tensor?]) -> Tensor {
    Tensor(
      shape: shape, storage: storage,
      node: GradientNode(inputs: inputs.map(\.node), pullback: pullback))
  }

  /// The same values with the gradient path cut: nothing flows back through the result.
  public func stoppingGradient() -> Tensor {
    Tensor(shape: shape, storage: storage)
  }

  /// The same values; the gradient flowing back through the result is multiplied by `factor`.
  public func scalingGradient(by factor: Float) -> Tensor {
    guard requiresGradient else { return self }
    return recording([self]) { g in [g * factor] }
  }
}

/// Whether any of `tensors` requires a gradient.
@inline(__always)
func anyRequiresGradient(_ tensors: Tensor...) -> Bool {
  tensors.contains { $0.node != nil }
}

/// The vector-Jacobian product: the gradient of `sum(roots[k] * cotangents[k])` with respect to
/// each of `sources`.
///
/// Each source must be a watched leaf (``Tensor/watched()``) or a tensor computed on the way;
/// a source the roots do not depend on gets zeros.
///
/// - Parameters:
///   - roots: the outputs to differentiate.
///   - cotangents: one tensor per root, of the root's shape.
///   - sources: the tensors to differentiate with respect to.
public func gradients(
  of roots: [Tensor], cotangents: [Tensor], withRespectTo sources: [Tensor]
) -> [Tensor] {
  precondition(roots.count == cotangents.count, "one cotangent per root")
  var accumulated: [ObjectIdentifier: Accumulator] = [:]
  var rootNodes: [GradientNode] = []
  for (root, cotangent) in zip(roots, cotangents) {
    precondition(
      root.shape == cotangent.shape,
      "cotangent shape \(cotangent.shape) differs from root shape \(root.shape)")
    guard let node = root.node else { continue }
    rootNodes.append(node)
    accumulate(cotangent, into: &accumulated, for: node)
  }
  // Reverse topological order by an iterative depth-first post-order walk.
  var order: [GradientNode] = []
  var visited = Set<ObjectIdentifier>()
  var stack: [(GradientNode, Int)] = []
  for root in rootNodes where visited.insert(ObjectIdentifier(root)).inserted {
    stack.append((root, 0))
    while let (node, next) = stack.popLast() {
      if next < node.inputs.count {
        stack.append((node, next + 1))
        if let child = node.inputs[next], visited.insert(ObjectIdentifier(child)).inserted {
          stack.append((child, 0))
        }
      } else {
        order.append(node)
      }
    }
  }
  let wanted = Set(sources.compactMap { $0.node.map(ObjectIdentifier.init) })
  for node in order.reversed() {
    guard let pullback = node.pullback else { continue }
    let id = ObjectIdentifier(node)
    guard let cotangent = accumulated[id] else { continue }
    if !wanted.contains(id) { accumulated[id] = nil }
    let inputCotangents = pullback(cotangent.tensor)
    for (input, inputCotangent) in zip(node.inputs, inputCotangents) {
      guard let input, let inputCotangent else { continue }
      accumulate(inputCotangent, into: &accumulated, for: input)
    }
  }
  return sources.map { source in
    if let node = source.node, let gradient = accumulated[ObjectIdentifier(node)] {
      return gradient.tensor.stoppingGradient()
    }
    return Tensor(zeros: source.shape)
  }
}

/// The gradient of the scalar `loss` with respect to each of `sources`.
public func gradients(of loss: Tensor, withRespectTo sources: [Tensor]) -> [Tensor] {
  precondition(loss.scalarCount == 1, "loss must have one element, has shape \(loss.shape)")
  return gradients(
    of: [loss], cotangents: [Tensor(repeating: 1, shape: loss.shape)], withRespectTo: sources)
}

/// A node's cotangent so far. The first contribution is kept as it is (it may be shared); the
/// second makes a sum this pass owns, and later ones are added into it in place, so a weight used
/// at every step of an unroll sums its gradient without a new tensor per step.
private struct Accumulator {
  var tensor: Tensor
  var owned: Bool
}

private func accumulate(
  _ cotangent: Tensor, into table: inout [ObjectIdentifier: Accumulator], for node: GradientNode
) {
  let id = ObjectIdentifier(node)
  let detached = cotangent.stoppingGradient()
  guard var existing = table[id] else {
    table[id] = Accumulator(tensor: detached, owned: false)
    return
  }
  if existing.owned && existing.tensor.shape == detached.shape {
    let (sum, addend) = (existing.tensor.storage.pointer, detached.storage.pointer)
    for i in 0..<existing.tensor.scalarCount { sum[i] += addend[i] }
  } else {
    existing = Accumulator(tensor: existing.tensor + detached, owned: true)
  }
  table[id] = existing
}
