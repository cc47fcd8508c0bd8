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
  private let affine: AffineParameters
  /// The filter `[kh, kw, inputChannels, outputChannels]`.
  public var w: Parameter { affine.w }
  /// The bias `[outputChannels]`, if any.
  public var b: Parameter? { affine.b }

  /// Creates the layer; `wInit` defaults to a truncated normal with deviation `1/sqrt(kh*kw*in)`.
  public init(
    inputChannels: Int, outputChannels: Int, kernelShape: Extent2D, stride: Extent2D = 1,
    padding: Padding = .same, withBias: Bool = true, wInit: Initializer? = nil,
    bInit: Initializer = .zeros, name: String = "conv2d", generator: inout RandomGenerator
  ) throws {
    try ModuleError.requirePositive(inputChannels, "input_channels", in: "Conv2D")
    try ModuleError.requirePositive(outputChannels, "output_channels", in: "Conv2D")
    try ModuleError.requirePositive(kernelShape, "kernel_shape", in: "Conv2D")
    try ModuleError.requirePositive(stride, "stride", in: "Conv2D")
    self.inputChannels = inputChannels
    self.outputChannels = outputChannels
    self.kernelShape = kernelShape
    self.stride = stride
    self.padding = padding
    affine = AffineParameters(
      weightShape: [kernelShape.height, kernelShape.width, inputChannels, outputChannels],
      fanIn: kernelShape.height * kernelShape.width * inputChannels, biasSize: outputChannels,
      withBias: withBias, wInit: wInit, bInit: bInit, generator: &generator)
    super.init(name: name)
    affine.register(in: self)
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      input.rank == 4 && input.shape[3] == inputChannels,
      "Conv2D expects [N, H, W, \(inputChannels)], got \(input.shape)")
    return conv2d(input, w.value, bias: affine.b?.value, strides: stride.pair, padding: padding)
  }
}
