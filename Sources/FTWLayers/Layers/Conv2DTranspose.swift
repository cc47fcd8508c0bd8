import FTWTensor

/// A 2-D transposed convolution over NHWC images (Sonnet's `snt.Conv2DTranspose`): the adjoint of
/// a `Conv2D` with the same kernel, stride and padding.
///
/// Parameters: `w` `[kh, kw, outputChannels, inputChannels]` (TensorFlow's layout), `b`
/// `[outputChannels]`. Input `[N, h, w, inputChannels]`, output `[N, H, W, outputChannels]` where
/// `(H, W)` is `outputShape`, or by default `(h * stride, w * stride)` for `SAME` padding and
/// `(h * stride + kh - 1, w * stride + kw - 1)` for `VALID`.
///
/// ```swift
/// let deconv = try Conv2DTranspose(
///   inputChannels: 32, outputChannels: 1, kernelShape: 4, outputShape: [20, 20], stride: 2, generator: &g)
/// let q = deconv(features)   // [N, 20, 20, 1] from [N, 10, 10, 32]
/// ```
public final class Conv2DTranspose: Module, Layer {
  public let inputChannels: Int
  public let outputChannels: Int
  public let kernelShape: Extent2D
  public let stride: Extent2D
  public let padding: Padding
  /// The spatial output shape, or `nil` for the default.
  public let outputShape: Extent2D?
  private let affine: AffineParameters
  /// The filter `[kh, kw, outputChannels, inputChannels]`.
  public var w: Parameter { affine.w }
  /// The bias `[outputChannels]`, if any.
  public var b: Parameter? { affine.b }

  /// Creates the layer; `wInit` defaults to a truncated normal with deviation `1/sqrt(kh*kw*in)`.
  public init(
    inputChannels: Int, outputChannels: Int, kernelShape: Extent2D, outputShape: Extent2D? = nil,
    stride: Extent2D = 1, padding: Padding = .same, withBias: Bool = true,
    wInit: Initializer? = nil, bInit: Initializer = .zeros, name: String = "conv2d_transpose",
    generator: inout RandomGenerator
  ) throws {
    try ModuleError.requirePositive(inputChannels, "input_channels", in: "Conv2DTranspose")
    try ModuleError.requirePositive(outputChannels, "output_channels", in: "Conv2DTranspose")
    try ModuleError.requirePositive(kernelShape, "kernel_shape", in: "Conv2DTranspose")
    try ModuleError.requirePositive(stride, "stride", in: "Conv2DTranspose")
    if let outputShape { try ModuleError.requirePositive(outputShape, "output_shape", in: "Conv2DTranspose") }
    self.inputChannels = inputChannels
    self.outputChannels = outputChannels
    self.kernelShape = kernelShape
    self.stride = stride
    self.padding = padding
    self.outputShape = outputShape
    affine = AffineParameters(
      weightShape: [kernelShape.height, kernelShape.width, outputChannels, inputChannels],
      fanIn: kernelShape.height * kernelShape.width * inputChannels, biasSize: outputChannels,
      withBias: withBias, wInit: wInit, bInit: bInit, generator: &generator)
    super.init(name: name)
    affine.register(in: self)
  }

  /// The spatial output size for an input of spatial size `(height, width)`.
  public func outputSize(height: Int, width: Int) -> Extent2D {
    if let outputShape { return outputShape }
    switch padding {
    case .same:
      return Extent2D(height: height * stride.height, width: width * stride.width)
    case .valid:
      return Extent2D(
        height: height * stride.height + kernelShape.height - 1,
        width: width * stride.width + kernelShape.width - 1)
    }
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    precondition(
      input.rank == 4 && input.shape[3] == inputChannels,
      "Conv2DTranspose expects [N, h, w, \(inputChannels)], got \(input.shape)")
    let size = outputSize(height: input.shape[1], width: input.shape[2])
    let output = conv2dTranspose(
      input, w.value, outputSize: size.pair, strides: stride.pair, padding: padding)
    return affine.addingBias(to: output)
  }
}
