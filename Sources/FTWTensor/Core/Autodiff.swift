/// One recorded op: its differentiable inputs and how to map the output's cotangent to theirs.
///
/// The graph lives in the tensors that hold these nodes: when the last tensor computed from a
/// watched leaf goes away, so does its graph.
final class GradientNode: @unchecked Sendable {
  let inputs: [GradientNode?]
  /// Maps the output cotangent to one cotangent per input (`nil` where the input needs none).
  let pullback: ((Tensor) -> [Tensor?])?
  /// For some inputs, the cotangent as factors `(L, R)` meaning `Lᵀ · R` instead (by input index);
  /// the pullback returns `nil` for those.
  let factors: [Int: (Tensor) -> (left: Tensor, right: Tensor)]
  /// For a slice (whose `pullback` is `nil`): where the output sits in its one input. The backward
  /// pass adds the output's cotangent into the input's at that place, rather than a zero tensor of
  /// the input's size per slice (an unroll's per-step slices would cost O(T²)).
  let placement: SlicePlacement?

  init(
    inputs: [GradientNode?], pullback: ((Tensor) -> [Tensor?])?,
    factors: [Int: (Tensor) -> (left: Tensor, right: Tensor)] = [:], placement: SlicePlacement? = nil
  ) {
    self.inputs = inputs
    self.pullback = pullback
    self.factors = factors
    self.placement = placement
  }
}

/// Where a slice sits in the tensor it was taken from.
struct SlicePlacement {
  let inputShape: [Int]
  let lowerBounds: [Int]
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
  ///
  /// `factors` gives, for some inputs (by index), the cotangent as a pair `(L, R)` meaning `Lᵀ · R`.
  /// The backward pass multiplies all pairs a node receives at once, as one product: a weight used
  /// at every step of an unroll gets its gradient from one product over all steps.
  func recording(
    _ inputs: [Tensor], factors: [Int: (Tensor) -> (left: Tensor, right: Tensor)] = [:],
    pullback: @escaping (Tensor) -> [Tensor?]
  ) -> Tensor {
    Tensor(
      shape: shape, storage: storage,
      node: GradientNode(inputs: inputs.map(\.node), pullback: pullback, factors: factors))
  }

  /// Attaches the gradient of a slice: `self` holds the values of `input` from `lowerBounds` on.
  func recordingSlice(of input: Tensor, at lowerBounds: [Int]) -> Tensor {
    let inputShape = input.shape
    return Tensor(
      shape: shape, storage: storage,
      node: GradientNode(
        inputs: [input.node], pullback: nil,
        placement: SlicePlacement(inputShape: inputShape, lowerBounds: lowerBounds)))
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
    // Leaves (watched tensors) have neither a pullback nor a placement.
    guard node.pullback != nil || node.placement != nil else { continue }
    let id = ObjectIdentifier(node)
    guard let pending = accumulated[id] else { continue }
    let cotangent = pending.resolved()
    accumulated[id] = wanted.contains(id) ? Accumulator(tensor: cotangent, owned: false) : nil
    if let placement = node.placement, let input = node.inputs[0] {
      accumulated[ObjectIdentifier(input), default: Accumulator()].addPatch(cotangent, at: placement)
      continue
    }
    let inputCotangents = node.pullback!(cotangent)
    for (input, inputCotangent) in zip(node.inputs, inputCotangents) {
      guard let input, let inputCotangent else { continue }
      accumulate(inputCotangent, into: &accumulated, for: input)
    }
    for (index, factor) in node.factors {
      guard let input = node.inputs[index] else { continue }
      let (left, right) = factor(cotangent)
      accumulated[ObjectIdentifier(input), default: Accumulator()].factors.append(
        (left.stoppingGradient(), right.stoppingGradient()))
    }
  }
  return sources.map { source in
    if let node = source.node, let gradient = accumulated[ObjectIdentifier(node)] {
      return gradient.resolved()
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

/// A node's cotangent so far: a dense part, slices' cotangents placed into it, and factor pairs
/// `(L, R)` adding `Lᵀ · R`.
///
/// The dense part's first contribution is kept as it is (it may be shared); the second makes a sum
/// this pass owns, and later ones are added into it in place.
private struct Accumulator {
  var tensor: Tensor?
  var owned = false
  var factors: [(left: Tensor, right: Tensor)] = []
  var patches: [(values: Tensor, placement: SlicePlacement)] = []

  init(tensor: Tensor? = nil, owned: Bool = false) {
    self.tensor = tensor
    self.owned = owned
  }

  mutating func addPatch(_ values: Tensor, at placement: SlicePlacement) {
    patches.append((values.stoppingGradient(), placement))
  }

  /// The cotangent: the dense part with the slices' cotangents added in place, plus one product
  /// of all factor pairs, stacked by rows.
  func resolved() -> Tensor {
    var dense = tensor?.stoppingGradient()
    if let shape = patches.first?.placement.inputShape {
      let target: Tensor
      if let dense, owned {
        target = dense
      } else if let dense {
        target = Tensor(shape: shape) { $0.baseAddress!.update(from: dense.storage.pointer, count: $0.count) }
      } else {
        target = Tensor(zeros: shape)
      }
      let strides = contiguousStrides(shape)
      for (values, placement) in patches {
        let offset = zip(placement.lowerBounds, strides).map(*).reduce(0, +)
        target.addIntoView(values, strides: strides, offset: offset)
      }
      dense = target
    }
    guard !factors.isEmpty else { return dense! }
    let left = factors.count == 1 ? factors[0].left : concatenate(factors.map(\.left), alongAxis: 0)
    let right = factors.count == 1 ? factors[0].right : concatenate(factors.map(\.right), alongAxis: 0)
    let product = matmul(left, right, transposeA: true)
    return dense.map { $0 + product } ?? product
  }
}

private func accumulate(
  _ cotangent: Tensor, into table: inout [ObjectIdentifier: Accumulator], for node: GradientNode
) {
  let id = ObjectIdentifier(node)
  let detached = cotangent.stoppingGradient()
  var entry = table[id] ?? Accumulator()
  if let existing = entry.tensor {
    if entry.owned && existing.shape == detached.shape {
      let (sum, addend) = (existing.storage.pointer, detached.storage.pointer)
      for i in 0..<existing.scalarCount { sum[i] += addend[i] }
    } else {
      entry.tensor = existing + detached
      entry.owned = true
    }
  } else {
    entry.tensor = detached
  }
  table[id] = entry
}
