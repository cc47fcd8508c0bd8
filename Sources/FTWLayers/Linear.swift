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
  /// The weight `[inputSize, outputSize]`.
  public let w: Parameter
  /// The bias `[outputSize]`, if any.
  public let b: Parameter?

  /// Creates the layer; `wInit` defaults to a truncated normal with deviation `1/sqrt(inputSize)`.
  public init(
    inputSize: Int, outputSize: Int, withBias: Bool = true, wInit: Initializer? = nil,
    bInit: Initializer = .zeros, name: String = "linear", generator: inout RandomGenerator
  ) throws {
    try ModuleError.requirePositive(inputSize, "input_size", in: "Linear")
    try ModuleError.requirePositive(outputSize, "output_size", in: "Linear")
    self.inputSize = inputSize
    self.outputSize = outputSize
    let wInit = wInit ?? .sonnetDefault(fanIn: inputSize)
    w = Parameter(wInit.tensor(shape: [inputSize, outputSize], generator: &generator))
    b = withBias ? Parameter(bInit.tensor(shape: [outputSize], generator: &generator)) : nil
    super.init(name: name)
    register(w, as: "w")
    if let b { register(b, as: "b") }
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      input.shape.last == inputSize, "Linear expects [..., \(inputSize)], got \(input.shape)")
    let product = matmul(input, w.value)
    return b.map { product + $0.value } ?? product
  }
}
