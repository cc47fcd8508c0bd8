import CFTWKernels

/// 2-D convolution and its adjoint, the transposed convolution, on NHWC images with HWIO filters,
/// computed as implicit GEMMs by the C kernels (`CFTWKernels`, through ConvolutionProducts.swift):
/// patches are gathered a few at a time next to the register tile, never written out as an
/// im2col matrix.

/// How a convolution pads its input (TensorFlow's rules).
public enum Padding: String, Sendable, CaseIterable {
  /// Output extent `ceil(in / stride)`; the padding is split evenly, the odd pixel at the bottom/right.
  case same = "SAME"
  /// No padding: output extent `(in - kernel) / stride + 1`.
  case valid = "VALID"
}

/// The index arithmetic of one convolution: an NHWC input, an HWIO filter, strides and padding.
public struct ConvolutionGeometry: Equatable, Sendable {
  public let batch: Int
  public let inputHeight: Int
  public let inputWidth: Int
  public let inputChannels: Int
  public let kernelHeight: Int
  public let kernelWidth: Int
  public let outputChannels: Int
  public let strideHeight: Int
  public let strideWidth: Int
  public let outputHeight: Int
  public let outputWidth: Int
  public let padTop: Int
  public let padLeft: Int

  /// The geometry of convolving an input of `inputShape` (`[N, H, W, C]`) with a filter of
  /// `filterShape` (`[kh, kw, C, O]`).
  ///
  /// - Precondition: the shapes agree on `C`, strides are positive, and a `VALID` kernel fits.
  public init(inputShape: [Int], filterShape: [Int], strides: (Int, Int), padding: Padding) {
    precondition(inputShape.count == 4, "convolution input must be [N, H, W, C], got \(inputShape)")
    precondition(filterShape.count == 4, "convolution filter must be [kh, kw, in, out], got \(filterShape)")
    precondition(
      inputShape[3] == filterShape[2],
      "input has \(inputShape[3]) channels, filter expects \(filterShape[2])")
    precondition(strides.0 > 0 && strides.1 > 0, "strides must be positive, got \(strides)")
    batch = inputShape[0]
    inputHeight = inputShape[1]
    inputWidth = inputShape[2]
    inputChannels = inputShape[3]
    kernelHeight = filterShape[0]
    kernelWidth = filterShape[1]
    outputChannels = filterShape[3]
    (strideHeight, strideWidth) = strides
    func extent(_ size: Int, _ kernel: Int, _ stride: Int) -> (output: Int, padBefore: Int) {
      switch padding {
      case .same:
        let output = (size + stride - 1) / stride
        let total = Swift.max((output - 1) * stride + kernel - size, 0)
        return (output, total / 2)
      case .valid:
        precondition(size >= kernel, "VALID padding: kernel \(kernel) larger than input \(size)")
        return ((size - kernel) / stride + 1, 0)
      }
    }
    (outputHeight, padTop) = extent(inputHeight, kernelHeight, strideHeight)
    (outputWidth, padLeft) = extent(inputWidth, kernelWidth, strideWidth)
  }

  var inputShape: [Int] { [batch, inputHeight, inputWidth, inputChannels] }
  var filterShape: [Int] { [kernelHeight, kernelWidth, inputChannels, outputChannels] }
  var outputShape: [Int] { [batch, outputHeight, outputWidth, outputChannels] }
  /// Output pixels over the whole batch: the rows of the im2col matrix, which is never written out.
  var pixelCount: Int { batch * outputHeight * outputWidth }
  /// Values in one patch: the columns of the im2col matrix.
  var patchSize: Int { kernelHeight * kernelWidth * inputChannels }

  /// The geometry as the C kernels take it.
  var kernelGeometry: ftw_conv_geometry {
    ftw_conv_geometry(
      batch: batch, input_height: inputHeight, input_width: inputWidth, input_channels: inputChannels,
      kernel_height: kernelHeight, kernel_width: kernelWidth, output_channels: outputChannels,
      stride_height: strideHeight, stride_width: strideWidth, output_height: outputHeight,
      output_width: outputWidth, pad_top: padTop, pad_left: padLeft)
  }
}

/// The 2-D convolution of `input` `[N, H, W, C]` with `filter` `[kh, kw, C, O]`, plus `bias` `[O]`
/// when given, giving `[N, H', W', O]` (TensorFlow's `conv2d`, NHWC, then `bias_add`).
///
/// ```swift
/// let y = conv2d(images, filter, bias: b, strides: (2, 2), padding: .same)
/// ```
public func conv2d(
  _ input: Tensor, _ filter: Tensor, bias: Tensor? = nil, strides: (Int, Int) = (1, 1),
  padding: Padding = .same
) -> Tensor {
  let geometry = ConvolutionGeometry(
    inputShape: input.shape, filterShape: filter.shape, strides: strides, padding: padding)
  if let bias {
    precondition(bias.shape == [filter.shape[3]], "bias must be [\(filter.shape[3])], got \(bias.shape)")
  }
  // The backward pass runs in the precision the forward one ran in. A filter that learns reads its
  // input twice (the forward product, the filter gradient), which pays for the space-to-depth form.
  let precision = geometry.precision(in: Precision.current)
  let form = filter.requiresGradient ? SpaceToDepth(geometry) : nil
  let result =
    form?.convolve(input, filter, bias: bias, in: precision)
    ?? geometry.convolve(input, filter, bias: bias, in: precision)
  let biasNeedsGradient = bias?.requiresGradient ?? false
  guard input.requiresGradient || filter.requiresGradient || biasNeedsGradient else { return result }
  let (x, w) = (input.stoppingGradient(), filter.stoppingGradient())
  let inputs = bias.map { [input, filter, $0] } ?? [input, filter]
  return result.recording(inputs) { g in
    var gradients: [Tensor?] = [nil, nil, nil]
    if input.requiresGradient {
      gradients[0] = form?.inputGradient(g, w, in: precision) ?? geometry.inputGradient(g, w, in: precision)
    }
    if filter.requiresGradient {
      // The bias gradient comes out of the same pass over the output gradient.
      (gradients[1], gradients[2]) =
        form?.filterGradient(x, g, withBias: biasNeedsGradient, in: precision)
        ?? geometry.filterGradient(x, g, withBias: biasNeedsGradient, in: precision)
    } else if biasNeedsGradient {
      gradients[2] = g.reshaped(to: [geometry.pixelCount, geometry.outputChannels]).sum(alongAxis: 0)
    }
    return Array(gradients.prefix(inputs.count))
  }
}

/// The transposed convolution (TensorFlow's `conv2d_transpose`): the adjoint of convolving an
/// image of `outputSize` with `filter`.
///
/// - Parameters:
///   - input: `[N, h, w, I]`.
///   - filter: `[kh, kw, O, I]` (TensorFlow's layout: output channels before input channels).
///   - outputSize: the result's `(H, W)`; convolving that size with the same strides and padding
///     must give `(h, w)`.
///   - strides: the convolution's strides, height then width.
///   - padding: the convolution's padding.
/// - Returns: `[N, H, W, O]`.
public func conv2dTranspose(
  _ input: Tensor, _ filter: Tensor, outputSize: (Int, Int), strides: (Int, Int) = (1, 1),
  padding: Padding = .same
) -> Tensor {
  precondition(input.rank == 4 && filter.rank == 4, "conv2dTranspose needs NHWC input and a 4-D filter")
  precondition(
    filter.shape[3] == input.shape[3],
    "filter expects \(filter.shape[3]) input channels, input has \(input.shape[3])")
  let geometry = ConvolutionGeometry(
    inputShape: [input.shape[0], outputSize.0, outputSize.1, filter.shape[2]],
    filterShape: filter.shape, strides: strides, padding: padding)
  precondition(
    geometry.outputHeight == input.shape[1] && geometry.outputWidth == input.shape[2],
    "output size \(outputSize) convolves to \(geometry.outputHeight)x\(geometry.outputWidth), not the input's \(input.shape[1])x\(input.shape[2])"
  )
  let precision = geometry.precision(in: Precision.current)
  let result = geometry.inputGradient(input, filter, in: precision)
  guard anyRequiresGradient(input, filter) else { return result }
  let (x, w) = (input.stoppingGradient(), filter.stoppingGradient())
  return result.recording([input, filter]) { g in
    [
      input.requiresGradient ? geometry.convolve(g, w, in: precision) : nil,
      filter.requiresGradient ? geometry.filterGradient(g, x, in: precision).filter : nil,
    ]
  }
}
