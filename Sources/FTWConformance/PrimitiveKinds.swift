import FTWLayers
import FTWTensor

/// The Sonnet layers the networks are built from: Linear, Conv2D, Conv2DTranspose and LSTM.
enum PrimitiveKinds {
  static let all: [ConformanceKind] = [linear, conv2D, conv2DTranspose, lstm]

  static let linear = ConformanceKind(name: "Linear") { config, inputs in
    let x = try inputs.float("x", rank: 2)
    var generator = RandomGenerator(seed: 0)
    let layer = try Linear(
      inputSize: x.shape[1], outputSize: config.size("output_size"),
      withBias: config.bool("with_bias", default: true), generator: &generator)
    try config.finish()
    return CaseModel(module: layer) { inputs in ["y": layer(try inputs.float("x"))] }
  }

  static let conv2D = ConformanceKind(name: "Conv2D") { config, inputs in
    let x = try inputs.float("x", rank: 4)
    var generator = RandomGenerator(seed: 0)
    let layer = try Conv2D(
      inputChannels: x.shape[3], outputChannels: config.size("output_channels"),
      kernelShape: config.extent("kernel_shape"), stride: config.extent("stride", default: 1),
      padding: config.choice("padding", default: Padding.same),
      withBias: config.bool("with_bias", default: true), generator: &generator)
    try config.finish()
    try requireKernelFits(layer.kernelShape, layer.padding, height: x.shape[1], width: x.shape[2])
    return CaseModel(module: layer) { inputs in ["y": layer(try inputs.float("x"))] }
  }

  /// Throws when a `VALID` kernel is larger than the image it slides over.
  static func requireKernelFits(_ kernel: Extent2D, _ padding: Padding, height: Int, width: Int) throws {
    guard padding == .valid, kernel.height > height || kernel.width > width else { return }
    throw ConformanceError.badConfig(
      "kernel_shape \(kernel) does not fit a \(height)x\(width) image with VALID padding")
  }

  static let conv2DTranspose = ConformanceKind(name: "Conv2DTranspose") { config, inputs in
    let x = try inputs.float("x", rank: 4)
    var generator = RandomGenerator(seed: 0)
    let outputShape = try config.sizeList("output_shape")
    if let outputShape, outputShape.count != 2 {
      throw ConformanceError.badConfig("output_shape must be [height, width] or null, got \(outputShape)")
    }
    let layer = try Conv2DTranspose(
      inputChannels: x.shape[3], outputChannels: config.size("output_channels"),
      kernelShape: config.extent("kernel_shape"), outputShape: outputShape.flatMap(Extent2D.init),
      stride: config.extent("stride", default: 1),
      padding: config.choice("padding", default: Padding.same),
      withBias: config.bool("with_bias", default: true), generator: &generator)
    try config.finish()
    let expected = layer.outputSize(height: x.shape[1], width: x.shape[2])
    try requireKernelFits(layer.kernelShape, layer.padding, height: expected.height, width: expected.width)
    let conv = ConvolutionGeometry(
      inputShape: [1, expected.height, expected.width, layer.outputChannels],
      filterShape: [
        layer.kernelShape.height, layer.kernelShape.width, layer.outputChannels, layer.inputChannels,
      ],
      strides: (layer.stride.height, layer.stride.width), padding: layer.padding)
    guard conv.outputHeight == x.shape[1] && conv.outputWidth == x.shape[2] else {
      throw ConformanceError.badConfig(
        "output_shape \(expected) with kernel_shape \(layer.kernelShape), stride \(layer.stride) and padding \(layer.padding.rawValue) does not convolve back to the input's \(x.shape[1])x\(x.shape[2])"
      )
    }
    return CaseModel(module: layer) { inputs in ["y": layer(try inputs.float("x"))] }
  }

  static let lstm = ConformanceKind(name: "LSTM") { config, inputs in
    let x = try inputs.float("x", rank: 3)
    var generator = RandomGenerator(seed: 0)
    let core = try LSTM(inputSize: x.shape[2], hiddenSize: config.size("hidden_size"), generator: &generator)
    try config.finish()
    return CaseModel(module: core) { inputs in
      let x = try inputs.float("x")
      let (hiddens, final) = staticUnroll(
        core, inputs: x, initialState: core.initialState(batchSize: x.shape[1]))
      return ["hidden_seq": hiddens, "final/hidden": final.hidden, "final/cell": final.cell]
    }
  }
}
