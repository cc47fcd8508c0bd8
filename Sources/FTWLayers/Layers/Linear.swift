import FTWTensor

/// A fully connected layer, `y = x · w + b` (Sonnet's `snt.Linear`).
///
/// Parameters: `w` `[inputSize, outputSize]`, `b` `[outputSize]` (unless `withBias` is false).
/// Input `[..., inputSize]`, output `[..., outputSize]`.
///
/// ```swift
/// var g = RandomGenerator(seed: 0)
/// let linear = try Linear(inputSize: 7, outputSize: 5, generator: &g)
/// let y = linear(Tensor(zeros: [4, 7]))   // [4, 5]
/// ```
public final class Linear: Module, Layer {
  public let inputSize: Int
  public let outputSize: Int
  private let affine: AffineParameters
  /// The weight `[inputSize, outputSize]`.
  public var w: Parameter { affine.w }
  /// The bias `[outputSize]`, if any.
  public var b: Parameter? { affine.b }

  /// Creates the layer; `wInit` defaults to a truncated normal with deviation `1/sqrt(inputSize)`.
  public init(
    inputSize: Int, outputSize: Int, withBias: Bool = true, wInit: Initializer? = nil,
    bInit: Initializer = .zeros, name: String = "linear", generator: inout RandomGenerator
  ) throws {
    try ModuleError.requirePositive(inputSize, "input_size", in: "Linear")
    try ModuleError.requirePositive(outputSize, "output_size", in: "Linear")
    self.inputSize = inputSize
    self.outputSize = outputSize
    affine = AffineParameters(
      weightShape: [inputSize, outputSize], fanIn: inputSize, biasSize: outputSize, withBias: withBias,
      wInit: wInit, bInit: bInit, generator: &generator)
    super.init(name: name)
    affine.register(in: self)
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      input.shape.last == inputSize, "Linear expects [..., \(inputSize)], got \(input.shape)")
    return affine.addingBias(to: matmul(input, w.value))
  }
}
