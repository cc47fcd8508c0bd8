/// How a tensor that requires a gradient came to be: one recorded step of the graph the backward
/// pass walks (``gradients(of:cotangents:withRespectTo:)``).
///
/// The graph lives in the tensors that hold these nodes: when the last tensor computed from a
/// watched leaf goes away, so does its graph.
final class GradientNode: @unchecked Sendable {
  /// What the node is.
  enum Kind {
    /// A watched tensor (``Tensor/watched()``): gradients are collected here, nothing flows on.
    case leaf
    /// An op's result: `pullback` maps the result's cotangent to one cotangent per input, `nil`
    /// for inputs that need none.
    case op(inputs: [GradientNode?], pullback: (Tensor) -> [Tensor?])
    /// A slice of `input`: the backward pass adds the slice's cotangent into the input's at
    /// `placement`, rather than padding it with zeros to the input's size (an unroll's per-step
    /// slices would then cost O(T²)).
    case slice(input: GradientNode, placement: SlicePlacement)
    /// A matrix product whose right operand's cotangent is deferred: `pullback` gives the left
    /// operand's, and `deferred` the right operand's as factors that the backward pass collects
    /// over every product the operand takes part in and settles at once (a weight used at every
    /// step of an unroll gets its gradient from one product over all the steps).
    case product(inputs: [GradientNode?], pullback: (Tensor) -> [Tensor?], deferred: DeferredCotangent)
  }

  let kind: Kind

  init(_ kind: Kind) {
    self.kind = kind
  }

  /// The nodes this one was computed from.
  var inputs: [GradientNode?] {
    switch kind {
    case .leaf: return []
    case .op(let inputs, _), .product(let inputs, _, _): return inputs
    case .slice(let input, _): return [input]
    }
  }
}

/// Where a slice sits in the tensor it was taken from.
struct SlicePlacement {
  let inputShape: [Int]
  let lowerBounds: [Int]
}

/// One input's cotangent, left as factors by the op that recorded it.
///
/// For each use of the input, ``factors`` turns the op's output cotangent into a pair; once the
/// backward pass has every pair for the input, ``settle`` turns them all into one cotangent. Every
/// deferred contribution to one input comes from the same op (``matmul(_:_:transposeA:transposeB:)``),
/// so its rule settles them all.
struct DeferredCotangent {
  /// Which input (by position) the cotangent belongs to.
  let input: Int
  /// The pair for one use, from the op's output cotangent.
  let factors: (Tensor) -> FactorPair
  /// The input's cotangent from all of its pairs (at least one).
  let settle: ([FactorPair]) -> Tensor
}

/// Two factors of a deferred cotangent; what their product is, the op that made them says.
struct FactorPair {
  let left: Tensor
  let right: Tensor
}

extension Tensor {
  /// This tensor's values as a new leaf that records the ops applied to it, so that
  /// ``gradients(of:withRespectTo:)`` can differentiate with respect to it.
  public func watched() -> Tensor {
    Tensor(shape: shape, storage: storage, node: GradientNode(.leaf))
  }

  /// Attaches a pullback to `self`, an op's result computed from `inputs`.
  ///
  /// Ops call this only when some input requires a gradient. `pullback` returns one cotangent per
  /// input, in order, and may return `nil` for inputs that do not require a gradient.
  func recording(_ inputs: [Tensor], pullback: @escaping (Tensor) -> [Tensor?]) -> Tensor {
    Tensor(
      shape: shape, storage: storage, node: GradientNode(.op(inputs: inputs.map(\.node), pullback: pullback)))
  }

  /// Attaches the pullback of a product to `self`, with one input's cotangent deferred (see
  /// ``GradientNode/Kind/product(inputs:pullback:deferred:)``); `pullback` returns `nil` for it.
  func recordingProduct(
    _ inputs: [Tensor], deferred: DeferredCotangent, pullback: @escaping (Tensor) -> [Tensor?]
  ) -> Tensor {
    Tensor(
      shape: shape, storage: storage,
      node: GradientNode(.product(inputs: inputs.map(\.node), pullback: pullback, deferred: deferred)))
  }

  /// Attaches the gradient of a slice: `self` holds the values of `input` from `lowerBounds` on.
  func recordingSlice(of input: Tensor, at lowerBounds: [Int]) -> Tensor {
    guard let inputNode = input.node else { return self }
    return Tensor(
      shape: shape, storage: storage,
      node: GradientNode(
        .slice(input: inputNode, placement: SlicePlacement(inputShape: input.shape, lowerBounds: lowerBounds))
      ))
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
