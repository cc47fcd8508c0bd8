import FTWLayers
import FTWTensor

/// One convolutional layer of ``FtwTorso``: output channels, square kernel size and stride.
public struct ConvFilter: Equatable, Sendable, CustomStringConvertible {
  public let channels: Int
  public let kernelSize: Int
  public let stride: Int

  public init(_ channels: Int, _ kernelSize: Int, _ stride: Int) {
    self.channels = channels
    self.kernelSize = kernelSize
    self.stride = stride
  }

  public var description: String { "(\(channels), \(kernelSize), \(stride))" }
}

/// The FTW agent's visual embedding (the reference's `FtwTorso`; Figure S11 of the paper).
///
/// A tower of `SAME`-padded convolutions each followed by the activation, then residual blocks
/// (`x + conv(x)`, the activation before every block's convolution but the first), the activation,
/// flatten, and a linear layer (activated too when `activateLast`).
///
/// Input `[B, H, W, C]` with `[H, W, C] == observationShape`; output `[B, hiddenSize]`.
/// Parameters: `conv_layers/layers/{0,2,...}`, `residual_layers/{i}`, `linear`.
///
/// ```swift
/// var g = RandomGenerator(seed: 0)
/// let torso = try FtwTorso(generator: &g)                 // 84x84x3 -> 256
/// let embedding = torso(Tensor(zeros: [2, 84, 84, 3]))    // [2, 256]
/// ```
public final class FtwTorso: Module, Layer {
  public let observationShape: [Int]
  public let convFilters: [ConvFilter]
  public let residualFilters: [ConvFilter]
  public let hiddenSize: Int
  public let activation: Activation
  public let activateLast: Bool
  let convLayers: Sequential
  let residualLayers: [Conv2D]
  let linear: Linear

  /// Creates the torso; `observationShape` is `[height, width, channels]` of one observation.
  ///
  /// - Throws: `ModuleError` when a size is not positive, or when a residual block cannot add its
  ///   input to its output (its channels must equal the tower's, its stride must be 1).
  public init(
    observationShape: [Int] = [84, 84, 3],
    convFilters: [ConvFilter] = [ConvFilter(32, 8, 4), ConvFilter(64, 4, 2)],
    residualFilters: [ConvFilter] = [ConvFilter(64, 3, 1), ConvFilter(64, 3, 1)],
    hiddenSize: Int = 256, activation: Activation = .relu, activateLast: Bool = false,
    name: String = "ftw_torso", generator: inout RandomGenerator
  ) throws {
    guard observationShape.count == 3, observationShape.allSatisfy({ $0 > 0 }) else {
      throw ModuleError(
        module: "FtwTorso", argument: "observation_shape",
        message: "must be [height, width, channels] of positive sizes, got \(observationShape)")
    }
    for (argument, filters) in [("conv_filters", convFilters), ("residual_filters", residualFilters)] {
      for filter in filters where filter.channels <= 0 || filter.kernelSize <= 0 || filter.stride <= 0 {
        throw ModuleError(
          module: "FtwTorso", argument: argument,
          message: "must hold positive (num_channels, kernel_size, stride) triples, got \(filter)")
      }
    }
    try ModuleError.requirePositive(hiddenSize, "hidden_size", in: "FtwTorso")
    self.observationShape = observationShape
    self.convFilters = convFilters
    self.residualFilters = residualFilters
    self.hiddenSize = hiddenSize
    self.activation = activation
    self.activateLast = activateLast

    var (height, width, channels) = (observationShape[0], observationShape[1], observationShape[2])
    var entries: [Sequential.Entry] = []
    for (index, filter) in convFilters.enumerated() {
      entries.append(
        .layer(
          try Conv2D(
            inputChannels: channels, outputChannels: filter.channels,
            kernelShape: Extent2D(filter.kernelSize),
            stride: Extent2D(filter.stride), name: "conv2d_\(index)", generator: &generator)))
      entries.append(.activation(activation))
      channels = filter.channels
      height = (height + filter.stride - 1) / filter.stride
      width = (width + filter.stride - 1) / filter.stride
    }
    convLayers = Sequential(entries, name: "conv_tower")
    residualLayers = try residualFilters.enumerated().map { index, filter in
      guard filter.channels == channels, filter.stride == 1 else {
        throw ModuleError(
          module: "FtwTorso", argument: "residual_filters",
          message: "block \(index) \(filter) cannot add its input: it needs \(channels) channels and stride 1"
        )
      }
      return try Conv2D(
        inputChannels: channels, outputChannels: channels, kernelShape: Extent2D(filter.kernelSize),
        name: "residual_conv2d_\(index)", generator: &generator)
    }
    linear = try Linear(
      inputSize: height * width * channels, outputSize: hiddenSize, name: "linear", generator: &generator)
    super.init(name: name)
    register(convLayers, as: "conv_layers")
    for (index, layer) in residualLayers.enumerated() {
      register(layer, as: "residual_layers/\(index)", reference: "_residual_layers/\(index)")
    }
    register(linear, as: "linear")
  }

  /// Embeds observations `[B, H, W, C]` into `[B, hiddenSize]`.
  public func callAsFunction(_ observation: Tensor) -> Tensor {
    precondition(
      Array(observation.shape.dropFirst()) == observationShape,
      "FtwTorso expects [B] + \(observationShape), got \(observation.shape)")
    var features = convLayers(observation)
    for (index, layer) in residualLayers.enumerated() {
      let blockInput = features
      features = layer(index > 0 ? activation(features) : features) + blockInput
    }
    let embedding = linear(activation(features).flattened())
    return activateLast ? activation(embedding) : embedding
  }
}
