import FTWTensor

/// A 2-D convolution over NHWC images (Sonnet's `snt.Conv2D`).
///
/// Parameters: `w` `[kh, kw, inputChannels, outputChannels]`, `b` `[outputChannels]`.
/// Input `[N, H, W, inputChannels]`, output `[N, H', W', outputChannels]` with `H' = ceil(H / stride)`
/// for `SAME` padding and `(H - kh) / stride + 1` for `VALID`.
///
/// ```swift
/// let conv = try Conv2D(inputChannels: 3, outputChannels: 16, kernelShape: 8, stride: 4, generator: &g)
/// let features = conv(images)   // [N, 21, 21, 16] for 84x84 images
/// ```
public final class Conv2D: Module, Layer {
  public let inputChannels: Int
  public let outputChannels: Int
  public let kernelShape: Extent2D
  public let stride: Extent2D
  public let padding: Padding
  /// The filter `[kh, kw, inputChannels, outputChannels]`.
  public let w: Parameter
  /// The bias `[outputChannels]`, if any.
  public let b: Parameter?

  /// Creates the layer; `wInit` defaults to a truncated normal with deviation `1/sqrt(kh*kw*in)`.
  public init(
    inputChannels: Int, outputChannels: Int, kernelShape: Extent2D, stride: Extent2D = 1,
    padding: Padding = .same, withBias: Bool = true, wInit: Initializer? = nil,
    bInit: Initializer = .zeros, name: String = "conv2d", generator: inout RandomGenerator
  ) throws {
    try ModuleError.requirePositive(inputChannels, "input_channels", in: "Conv2D")
    try ModuleError.requirePositive(outputChannels, "output_channels", in: "Conv2D")
    guard kernelShape.isPositive else {
      throw ModuleError(
        module: "Conv2D", argument: "kernel_shape", message: "must be positive, got \(kernelShape)")
    }
    guard stride.isPositive else {
      throw ModuleError(module: "Conv2D", argument: "stride", message: "must be positive, got \(stride)")
    }
    self.inputChannels = inputChannels
    self.outputChannels = outputChannels
    self.kernelShape = kernelShape
    self.stride = stride
    self.padding = padding
    let shape = [kernelShape.height, kernelShape.width, inputChannels, outputChannels]
    let wInit = wInit ?? .sonnetDefault(fanIn: kernelShape.height * kernelShape.width * inputChannels)
    w = Parameter(wInit.tensor(shape: shape, generator: &generator))
    b = withBias ? Parameter(bInit.tensor(shape: [outputChannels], generator: &generator)) : nil
    super.init(name: name)
    register(w, as: "w")
    if let b { register(b, as: "b") }
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      input.rank == 4 && input.shape[3] == inputChannels,
      "Conv2D expects [N, H, W, \(inputChannels)], got \(input.shape)")
    let output = conv2d(input, w.value, strides: stride.pair, padding: padding)
    return b.map { output + $0.value } ?? output
  }
}
