import FTWLayers
import FTWTensor

/// Pixel-control Q-values from a hidden state (the reference's `PixelControl`, after UNREAL).
///
/// `Linear(32·7·7)`, activation, reshape to `7x7x32`, a stride-3 9x9 transposed convolution to
/// `20x20x32`, activation, then a dueling head of two 4x4 transposed convolutions:
/// `q = value + advantage - mean(advantage)`. The 20x20 cells cover the central 80x80 pixels of an
/// 84x84 observation, 5x5 pixels each.
///
/// Input `[B, inputSize]`; output `[B, 20, 20, numActions]`.
/// Parameters: `linear`, `deconv`, `value`, `advantage`.
///
/// ```swift
/// let pixelControl = try PixelControl(inputSize: 256, numActions: 9, generator: &g)
/// let q = pixelControl(hidden)   // [B, 20, 20, 9]
/// ```
public final class PixelControl: Module {
  public let numActions: Int
  public let activation: Activation
  let linear: Linear
  let deconv: Conv2DTranspose
  let value: Conv2DTranspose
  let advantage: Conv2DTranspose

  public init(
    inputSize: Int, numActions: Int, activation: Activation = .relu, name: String = "pixel_control",
    generator: inout RandomGenerator
  ) throws {
    try ModuleError.requirePositive(numActions, "num_actions", in: "PixelControl")
    self.numActions = numActions
    self.activation = activation
    linear = try Linear(inputSize: inputSize, outputSize: 32 * 7 * 7, name: "linear", generator: &generator)
    deconv = try Conv2DTranspose(
      inputChannels: 32, outputChannels: 32, kernelShape: 9, outputShape: [20, 20], stride: 3,
      name: "deconv", generator: &generator)
    value = try Conv2DTranspose(
      inputChannels: 32, outputChannels: 1, kernelShape: 4, name: "value", generator: &generator)
    advantage = try Conv2DTranspose(
      inputChannels: 32, outputChannels: numActions, kernelShape: 4, name: "advantage", generator: &generator)
    super.init(name: name)
    register(linear, as: "linear")
    register(deconv, as: "deconv")
    register(value, as: "value")
    register(advantage, as: "advantage")
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    let grid = activation(linear(input)).reshaped(to: [-1, 7, 7, 32])
    let features = activation(deconv(grid))
    let advantages = advantage(features)
    return value(features) + (advantages - advantages.mean(alongAxes: [-1], keepingDimensions: true))
  }
}

/// Pixel control from observations: a (shareable) torso, a (shareable) recurrent core and a
/// ``PixelControl`` head (the reference's `RNNPixelControlNetwork`).
///
/// Step input `[B, H, W, C]`, output `[B, 20, 20, numActions]` and the core's next state (the
/// reference's step drops the state; it is returned here so steps can be chained).
/// Parameters: `embed/...`, `core/...`, `pixel_control/...`.
///
/// ```swift
/// let network = try RNNPixelControlNetwork(embed: torso, core: lstm, numActions: 9, generator: &g)
/// let (q, _) = network.unroll(observations, network.initialState(batchSize: 4))   // [T, 4, 20, 20, 9]
/// ```
public final class RNNPixelControlNetwork<Core: TensorRecurrentCore>: Module, RecurrentCore {
  public let embed: FtwTorso
  public let core: Core
  let pixelControl: PixelControl

  /// - Throws: `ModuleError` when the core does not take the torso's embedding size.
  public init(
    embed: FtwTorso, core: Core, numActions: Int, activation: Activation = .relu,
    name: String = "rnn_pixel_control_network", generator: inout RandomGenerator
  ) throws {
    self.embed = embed
    self.core = core
    pixelControl = try PixelControl(
      inputSize: core.outputSize, numActions: numActions, activation: activation, generator: &generator)
    super.init(name: name)
    register(embed, as: "embed")
    register(core, as: "core")
    register(pixelControl, as: "pixel_control")
  }

  public func initialState(batchSize: Int) -> Core.State { core.initialState(batchSize: batchSize) }

  public func callAsFunction(_ observation: Tensor, _ state: Core.State) -> (Tensor, Core.State) {
    let (output, next) = core(embed(observation), state)
    return (pixelControl(output), next)
  }

  /// Q-values `[T, B, 20, 20, numActions]` for observations `[T, B, H, W, C]`: the torso and the head
  /// batch-applied over time, the core unrolled.
  public func unroll(_ observations: Tensor, _ state: Core.State) -> (q: Tensor, finalState: Core.State) {
    let embeddings = batchApply(embed.callAsFunction, to: observations)
    let (outputs, final) = staticUnroll(core, inputs: embeddings, initialState: state)
    return (batchApply(pixelControl.callAsFunction, to: outputs), final)
  }
}

/// Reward-prediction logits from a hidden state (the reference's `RewardPrediction`):
/// `Linear(hiddenSize)`, activation, `Linear(3)` for the classes zero, negative and positive reward.
///
/// Input `[B, inputSize]`; output `[B, 3]`. Parameters: `linear`, `logits`.
///
/// ```swift
/// let head = try RewardPrediction(inputSize: 768, generator: &g)
/// let logits = head(x)   // [B, 3]
/// ```
public final class RewardPrediction: Module {
  public let hiddenSize: Int
  let linear: Linear
  let logits: Linear
  let sequential: Sequential

  public init(
    inputSize: Int, hiddenSize: Int = 128, activation: Activation = .relu, name: String = "reward_prediction",
    generator: inout RandomGenerator
  ) throws {
    self.hiddenSize = hiddenSize
    linear = try Linear(inputSize: inputSize, outputSize: hiddenSize, name: "linear", generator: &generator)
    logits = try Linear(inputSize: hiddenSize, outputSize: 3, name: "logits", generator: &generator)
    sequential = Sequential([.layer(linear), .activation(activation), .layer(logits)])
    super.init(name: name)
    register(linear, as: "linear")
    register(logits, as: "logits")
    register(sequential, as: "sequential")
  }

  public func callAsFunction(_ input: Tensor) -> Tensor { sequential(input) }
}

/// Reward prediction from a short sequence of observations (the reference's
/// `RewardPredictionNetwork`): the torso embeds each frame, the embeddings of a batch row are
/// concatenated, and a ``RewardPrediction`` head classifies them.
///
/// Input `[B, sequenceLength, H, W, C]`; output logits `[B, 3]`.
/// Parameters: `embed/...`, `reward_prediction/...`.
///
/// ```swift
/// let network = try RewardPredictionNetwork(embed: torso, sequenceLength: 3, generator: &g)
/// let logits = network(frames)   // frames [B, 3, 84, 84, 3]
/// ```
public final class RewardPredictionNetwork: Module {
  public let embed: FtwTorso
  public let sequenceLength: Int
  let rewardPrediction: RewardPrediction

  /// `sequenceLength` is the number of frames per example (the reference infers it from the
  /// first input; three in UNREAL and FTW).
  public init(
    embed: FtwTorso, sequenceLength: Int = 3, hiddenSize: Int = 128, activation: Activation = .relu,
    name: String = "reward_prediction_network", generator: inout RandomGenerator
  ) throws {
    try ModuleError.requirePositive(sequenceLength, "sequence_length", in: "RewardPredictionNetwork")
    self.embed = embed
    self.sequenceLength = sequenceLength
    rewardPrediction = try RewardPrediction(
      inputSize: sequenceLength * embed.hiddenSize, hiddenSize: hiddenSize, activation: activation,
      generator: &generator)
    super.init(name: name)
    register(embed, as: "embed")
    register(rewardPrediction, as: "reward_prediction")
  }

  public func callAsFunction(_ frames: Tensor) -> Tensor {
    precondition(
      frames.rank == 5 && frames.shape[1] == sequenceLength,
      "RewardPredictionNetwork expects [B, \(sequenceLength), H, W, C], got \(frames.shape)")
    return rewardPrediction(batchApply(embed.callAsFunction, to: frames).flattened())
  }
}
