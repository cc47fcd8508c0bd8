import FTWLayers
import FTWTensor

/// The state of a ``DNCWrapper`` (the reference's `DNCState`): the memory's last read words
/// `[B, reads, W]`, its ``AccessState`` and the controller's `LSTMState`.
public struct DNCState: TensorStructure, Sendable {
  public var accessOutput: Tensor
  public var accessState: AccessState
  public var controllerState: LSTMState

  public init(accessOutput: Tensor, accessState: AccessState, controllerState: LSTMState) {
    self.accessOutput = accessOutput
    self.accessState = accessState
    self.controllerState = controllerState
  }

  public func combined(with other: DNCState, _ combine: (Tensor, Tensor) -> Tensor) -> DNCState {
    DNCState(
      accessOutput: combine(accessOutput, other.accessOutput),
      accessState: accessState.combined(with: other.accessState, combine),
      controllerState: controllerState.combined(with: other.controllerState, combine))
  }

  public func namedTensors() -> [(name: String, tensor: Tensor)] {
    [("access_output", accessOutput)] + TensorStructures.named(accessState, prefix: "access_state")
      + TensorStructures.named(controllerState, prefix: "controller_state")
  }
}

/// A differentiable neural computer from its parts (the reference's `DNCWrapper`): an LSTM
/// controller, a ``MemoryAccess`` (possibly shared with other cores) and an optional output layer.
///
/// Each step the controller reads `[input, previous read words]`; its output drives the memory;
/// the step's output is `[controller output, read words]`, through the output layer if there is
/// one. With `clipValue`, the controller's output and state and the output layer's result are
/// clipped to `[-clipValue, clipValue]`.
///
/// Input `[B, inputSize]` with `inputSize = lstm.inputSize - reads·W`; output `[B, outputSize]`.
/// Parameters: `controller`, `access`, `output_layer`.
///
/// ```swift
/// let memory = try MemoryAccess(inputSize: 64, memorySize: 16, wordSize: 8, generator: &g)
/// let lstm = try LSTM(inputSize: 32 + 8, hiddenSize: 64, generator: &g)
/// let dnc = try DNCWrapper(lstm: lstm, memory: memory, clipValue: 20)
/// ```
public final class DNCWrapper: Module, TensorRecurrentCore {
  public let controller: LSTM
  public let access: MemoryAccess
  public let outputLayer: Linear?
  /// The clip bound, or `nil` for none (the reference's `clip_value` of `None` or 0).
  public let clipValue: Float?

  /// - Throws: `ModuleError` when the parts do not fit together: the memory must take the
  ///   controller's output, the controller must take more than the read words, and the output layer
  ///   must take `[controller output, read words]`.
  public init(
    lstm: LSTM, memory: MemoryAccess, outputLayer: Linear? = nil, clipValue: Float? = nil,
    name: String = "dnc_wrapper"
  ) throws {
    guard memory.inputSize == lstm.hiddenSize else {
      throw ModuleError(
        module: "DNCWrapper", argument: "memory",
        message: "takes inputs of size \(memory.inputSize), but the controller outputs \(lstm.hiddenSize)")
    }
    guard lstm.inputSize > memory.outputSize else {
      throw ModuleError(
        module: "DNCWrapper", argument: "lstm",
        message:
          "takes inputs of size \(lstm.inputSize), which must exceed the \(memory.outputSize) read values")
    }
    if let outputLayer, outputLayer.inputSize != lstm.hiddenSize + memory.outputSize {
      throw ModuleError(
        module: "DNCWrapper", argument: "output_layer",
        message: "takes inputs of size \(outputLayer.inputSize), needs \(lstm.hiddenSize + memory.outputSize)"
      )
    }
    if let clipValue, !(clipValue >= 0) {
      throw ModuleError(
        module: "DNCWrapper", argument: "clip_value", message: "must be >= 0, got \(clipValue)")
    }
    controller = lstm
    access = memory
    self.outputLayer = outputLayer
    self.clipValue = clipValue.flatMap { $0 > 0 ? $0 : nil }
    super.init(name: name)
    register(lstm, as: "controller")
    register(memory, as: "access")
    if let outputLayer { register(outputLayer, as: "output_layer") }
  }

  /// The size of the input each step takes.
  public var inputSize: Int { controller.inputSize - access.outputSize }

  /// The size of each step's output.
  public var outputSize: Int { outputLayer?.outputSize ?? controller.hiddenSize + access.outputSize }

  public func initialState(batchSize: Int) -> DNCState {
    DNCState(
      accessOutput: Tensor(zeros: [batchSize, access.numReads, access.wordSize]),
      accessState: access.initialState(batchSize: batchSize),
      controllerState: controller.initialState(batchSize: batchSize))
  }

  private func clip(_ x: Tensor) -> Tensor {
    clipValue.map { x.clipped(min: -$0, max: $0) } ?? x
  }

  public func callAsFunction(_ input: Tensor, _ previous: DNCState) -> (Tensor, DNCState) {
    let controllerInput = concatenate([input.flattened(), previous.accessOutput.flattened()], alongAxis: 1)
    let (rawOutput, rawState) = controller(controllerInput, previous.controllerState)
    let controllerOutput = clip(rawOutput)
    let controllerState = rawState.mapped(clip)
    let (accessOutput, accessState) = access(controllerOutput, previous.accessState)
    var output = concatenate([controllerOutput, accessOutput.flattened()], alongAxis: 1)
    if let outputLayer { output = clip(outputLayer(output)) }
    return (
      output, DNCState(accessOutput: accessOutput, accessState: accessState, controllerState: controllerState)
    )
  }
}
