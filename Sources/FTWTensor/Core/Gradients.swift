/// The vector-Jacobian product: the gradient of `sum(roots[k] * cotangents[k])` with respect to
/// each of `sources`.
///
/// Each source must be a watched leaf (``Tensor/watched()``) or a tensor computed on the way;
/// a source the roots do not depend on gets zeros.
///
/// The pass visits every node the roots depend on once, in reverse topological order, and hands
/// each node's summed cotangent to its pullback. It changes no tensor that existed before it
/// started, nor any tensor a pullback returns: the only buffers it writes are the sums it creates
/// itself (see `Cotangent`).
///
/// - Parameters:
///   - roots: the outputs to differentiate.
///   - cotangents: one tensor per root, of the root's shape.
///   - sources: the tensors to differentiate with respect to.
public func gradients(
  of roots: [Tensor], cotangents: [Tensor], withRespectTo sources: [Tensor]
) -> [Tensor] {
  precondition(roots.count == cotangents.count, "one cotangent per root")
  var pending: [ObjectIdentifier: Cotangent] = [:]
  var rootNodes: [GradientNode] = []
  for (root, cotangent) in zip(roots, cotangents) {
    precondition(
      root.shape == cotangent.shape,
      "cotangent shape \(cotangent.shape) differs from root shape \(root.shape)")
    guard let node = root.node else { continue }
    rootNodes.append(node)
    pending[ObjectIdentifier(node), default: Cotangent()].add(cotangent)
  }
  let wanted = Set(sources.compactMap { $0.node.map(ObjectIdentifier.init) })
  for node in reverseTopologicalOrder(from: rootNodes) {
    let id = ObjectIdentifier(node)
    // A leaf keeps its contributions for the result; every other node passes its cotangent on.
    if case .leaf = node.kind { continue }
    guard let contributions = pending[id] else { continue }
    let cotangent = contributions.total()
    pending[id] = wanted.contains(id) ? Cotangent(cotangent) : nil
    switch node.kind {
    case .leaf:
      break
    case .slice(let input, let placement):
      pending[ObjectIdentifier(input), default: Cotangent()].add(cotangent, at: placement)
    case .op(let inputs, let pullback), .product(let inputs, let pullback, _):
      for (input, inputCotangent) in zip(inputs, pullback(cotangent)) {
        guard let input, let inputCotangent else { continue }
        pending[ObjectIdentifier(input), default: Cotangent()].add(inputCotangent)
      }
      if case .product(_, _, let deferred) = node.kind, let input = inputs[deferred.input] {
        pending[ObjectIdentifier(input), default: Cotangent()].add(
          deferred.factors(cotangent), settledBy: deferred.settle)
      }
    }
  }
  return sources.map { source in
    if let node = source.node, let cotangent = pending[ObjectIdentifier(node)] {
      return cotangent.total()
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

/// The nodes `roots` depend on, each once, every node before the nodes it was computed from
/// (an iterative depth-first post-order walk, reversed, so deep graphs cannot overflow the stack).
private func reverseTopologicalOrder(from roots: [GradientNode]) -> [GradientNode] {
  var order: [GradientNode] = []
  var visited = Set<ObjectIdentifier>()
  var stack: [(node: GradientNode, inputs: [GradientNode?], next: Int)] = []
  for root in roots where visited.insert(ObjectIdentifier(root)).inserted {
    stack.append((root, root.inputs, 0))
    while let (node, inputs, next) = stack.popLast() {
      if next < inputs.count {
        stack.append((node, inputs, next + 1))
        if let child = inputs[next], visited.insert(ObjectIdentifier(child)).inserted {
          stack.append((child, child.inputs, 0))
        }
      } else {
        order.append(node)
      }
    }
  }
  return order.reversed()
}

/// The contributions to one node's cotangent so far: dense tensors, slices' cotangents with their
/// places, and deferred factor pairs.
///
/// Which buffers are written in place: only a sum this accumulator created itself (`ownsDense`).
/// The first dense contribution is kept as it is, since a pullback may return a tensor that is
/// also a forward value or another node's cotangent (the pullback of `+` returns its `g`); the
/// second makes a new sum, into which later ones are added. Slices' cotangents go into that sum, or
/// into a new copy or zeros; a settled product is a new tensor too. Contributions are never written.
private struct Cotangent {
  private var dense: Tensor?
  private var ownsDense = false
  private var patches: [(values: Tensor, placement: SlicePlacement)] = []
  private var pairs: [FactorPair] = []
  private var settle: (([FactorPair]) -> Tensor)?

  init() {}

  /// A cotangent that is `tensor`, not owned.
  init(_ tensor: Tensor) {
    dense = tensor
  }

  mutating func add(_ contribution: Tensor) {
    let contribution = contribution.stoppingGradient()
    guard let existing = dense else {
      dense = contribution
      return
    }
    precondition(
      existing.shape == contribution.shape,
      "cotangents of one node differ in shape: \(existing.shape) and \(contribution.shape)")
    if ownsDense {
      existing.storage.add(contribution.storage)
    } else {
      let sum = existing.copied()
      sum.storage.add(contribution.storage)
      dense = sum
      ownsDense = true
    }
  }

  mutating func add(_ contribution: Tensor, at placement: SlicePlacement) {
    patches.append((contribution.stoppingGradient(), placement))
  }

  mutating func add(_ pair: FactorPair, settledBy rule: @escaping ([FactorPair]) -> Tensor) {
    pairs.append(FactorPair(left: pair.left.stoppingGradient(), right: pair.right.stoppingGradient()))
    settle = settle ?? rule
  }

  /// Every contribution summed.
  func total() -> Tensor {
    var sum = dense
    var owned = ownsDense
    if let shape = patches.first?.placement.inputShape {
      let target = owned ? sum! : (sum?.copied() ?? Tensor(zeros: shape))
      let strides = contiguousStrides(shape)
      for (values, placement) in patches {
        let offset = zip(placement.lowerBounds, strides).map(*).reduce(0, +)
        target.storage.add(values, intoViewWithStrides: strides, offset: offset)
      }
      (sum, owned) = (target, true)
    }
    guard let settle, !pairs.isEmpty else { return sum! }
    let product = settle(pairs)
    guard let sum else { return product }
    if owned {
      sum.storage.add(product.storage)
      return sum
    }
    product.storage.add(sum.storage)
    return product
  }
}

extension Tensor {
  /// A new tensor with the same values and no gradient.
  fileprivate func copied() -> Tensor {
    Tensor(shape: shape) { $0.baseAddress!.update(from: storage.pointer, count: $0.count) }
  }
}

extension TensorStorage {
  /// Adds `other`'s values, of the same count, into these; for cotangent sums the backward pass
  /// owns.
  fileprivate func add(_ other: TensorStorage) {
    let (sum, addend) = (pointer, other.pointer)
    for i in 0..<count { sum[i] += addend[i] }
  }

  /// Adds `values` into the strided view (`values.shape`, element `strides`, from `offset`) of
  /// these values, which hold a whole tensor; for cotangent sums the backward pass owns.
  fileprivate func add(_ values: Tensor, intoViewWithStrides strides: [Int], offset: Int) {
    guard values.scalarCount > 0 else { return }
    let rank = values.rank
    let target = pointer + offset
    let source = values.storage.pointer
    if rank == 0 {
      target[0] += source[0]
      return
    }
    let inner = values.shape[rank - 1]
    let innerStride = strides[rank - 1]
    var index = [Int](repeating: 0, count: rank)
    var position = 0
    var read = 0
    while read < values.scalarCount {
      for j in 0..<inner { target[position + j * innerStride] += source[read + j] }
      read += inner
      var axis = rank - 2
      while axis >= 0 {
        index[axis] += 1
        position += strides[axis]
        if index[axis] < values.shape[axis] { break }
        position -= strides[axis] * index[axis]
        index[axis] = 0
        axis -= 1
      }
    }
  }
}
