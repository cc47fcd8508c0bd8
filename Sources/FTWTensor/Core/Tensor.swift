/// A row-major, n-dimensional array of `Float` values that can take part in reverse-mode
/// differentiation.
///
/// `Tensor` is a value type over shared storage: copying a tensor is cheap and never copies its
/// values, and no op ever changes an existing tensor. Images are NHWC, convolution weights HWIO.
///
/// A tensor *requires a gradient* when it is a watched leaf (see ``watched()``) or was computed
/// from one; only then does an op record how to differentiate it. Everything else runs without any
/// graph bookkeeping.
///
/// ```swift
/// let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).watched()
/// let y = (x * x).sum()
/// let dx = gradients(of: y, withRespectTo: [x])[0]   // 2 * x
/// ```
public struct Tensor: @unchecked Sendable {
  /// The extent of each axis, outermost first.
  public let shape: [Int]
  let storage: TensorStorage
  let node: GradientNode?

  init(shape: [Int], storage: TensorStorage, node: GradientNode? = nil) {
    self.shape = shape
    self.storage = storage
    self.node = node
  }

  /// Creates a tensor from values in row-major order.
  ///
  /// - Precondition: `scalars.count` equals the product of `shape`.
  public init(shape: [Int], scalars: [Float]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
    precondition(
      shape.reduce(1, *) == scalars.count,
      "shape \(shape) needs \(shape.reduce(1, *)) values, got \(scalars.count)")
    let storage = TensorStorage(count: scalars.count)
    scalars.withUnsafeBufferPointer { source in
      if let base = source.baseAddress { storage.pointer.update(from: base, count: source.count) }
    }
    self.init(shape: shape, storage: storage)
  }

  /// Creates a tensor whose values all equal `value`.
  public init(repeating value: Float, shape: [Int]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
    let storage = TensorStorage(count: shape.reduce(1, *))
    storage.pointer.update(repeating: value, count: storage.count)
    self.init(shape: shape, storage: storage)
  }

  /// Creates a tensor of zeros.
  public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

  /// Creates a tensor of ones.
  public init(ones shape: [Int]) { self.init(repeating: 1, shape: shape) }

  /// Creates a rank-0 tensor holding `value`.
  public init(_ value: Float) { self.init(repeating: value, shape: []) }

  /// Creates a rank-1 tensor from `values`.
  public init(_ values: [Float]) { self.init(shape: [values.count], scalars: values) }

  /// Creates a tensor of the given shape whose values `body` writes, in row-major order.
  ///
  /// `body` receives uninitialised memory and must write every element.
  public init(shape: [Int], initializingWith body: (UnsafeMutableBufferPointer<Float>) throws -> Void)
    rethrows
  {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
    let storage = TensorStorage(count: shape.reduce(1, *))
    try body(storage.mutableBuffer)
    self.init(shape: shape, storage: storage)
  }

  /// The number of axes.
  public var rank: Int { shape.count }

  /// The number of values: the product of the shape.
  public var scalarCount: Int { storage.count }

  /// The values in row-major order.
  public var scalars: [Float] { Array(storage.buffer) }

  /// The single value of a tensor with one element.
  public var scalar: Float {
    precondition(scalarCount == 1, "scalar of a tensor with shape \(shape)")
    return storage.pointer[0]
  }

  /// Whether an op on this tensor records a pullback.
  public var requiresGradient: Bool { node != nil }

  /// Calls `body` with the values in row-major order.
  public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
    try body(storage.buffer)
  }

  /// The same values with another shape of the same element count; differentiable.
  public func reshaped(to newShape: [Int]) -> Tensor {
    var resolved = newShape
    if let inferred = newShape.firstIndex(of: -1) {
      let known = newShape.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
      precondition(known > 0 && scalarCount % known == 0, "cannot reshape \(shape) to \(newShape)")
      resolved[inferred] = scalarCount / known
    }
    precondition(
      resolved.reduce(1, *) == scalarCount, "cannot reshape \(shape) to \(newShape)")
    if resolved == shape { return self }
    let result = Tensor(shape: resolved, storage: storage)
    guard requiresGradient else { return result }
    let oldShape = shape
    return result.recording([self]) { g in [g.reshaped(to: oldShape)] }
  }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    let preview = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
    return "Tensor(shape: \(shape), [\(preview)\(scalarCount > 8 ? ", ..." : "")])"
  }
}

extension Tensor {
  /// Whether two tensors have the same shape and bit-identical values.
  public func isIdentical(to other: Tensor) -> Bool {
    shape == other.shape && scalars == other.scalars
  }
}

/// Row-major element strides of `shape`.
func contiguousStrides(_ shape: [Int]) -> [Int] {
  var strides = [Int](repeating: 1, count: shape.count)
  var step = 1
  for axis in stride(from: shape.count - 1, through: 0, by: -1) {
    strides[axis] = step
    step *= shape[axis]
  }
  return strides
}
