import FTWLayers
import FTWTensor

/// The recurrent state of a ``VariationalUnit``: an `LSTMState` for a plain LSTM core, a
/// ``DNCState`` when the unit reads and writes a memory.
public enum VariationalCoreState: TensorStructure, Sendable {
  case lstm(LSTMState)
  case dnc(DNCState)

  /// The controller's hidden state `[B, hiddenSize]`.
  public var hidden: Tensor {
    switch self {
    case .lstm(let state): return state.hidden
    case .dnc(let state): return state.controllerState.hidden
    }
  }

  public func combined(with other: VariationalCoreState, _ combine: (Tensor, Tensor) -> Tensor)
    -> VariationalCoreState
  {
    switch (self, other) {
    case (.lstm(let a), .lstm(let b)): return .lstm(a.combined(with: b, combine))
    case (.dnc(let a), .dnc(let b)): return .dnc(a.combined(with: b, combine))
    default: preconditionFailure("cannot combine an LSTM state with a DNC state")
    }
  }

  public func namedTensors() -> [(name: String, tensor: Tensor)] {
    switch self {
    case .lstm(let state): return state.namedTensors()
    case .dnc(let state): return state.namedTensors()
    }
  }
}

/// The FTW paper's variational unit (the reference's `VariationalUnit`; Figure S11): a recurrent
/// core, an LSTM or a DNC over a (possibly shared) memory, followed by a
/// ``MultivariateNormalDiagLocScaleHead``.
///
/// Input `[B, inputSize]`; output the ``LocScaleDistributionParameters`` `[B, numDimensions]`.
/// Parameters: `core/...` (an LSTM, or a DNC's `controller`, `access` and `output_layer`) and
/// `distribution/...`.
///
/// ```swift
/// let unit = try VariationalUnit(inputSize: 32, hiddenSize: 64, numDimensions: 16, generator: &g)
/// let (parameters, state) = unit(x, unit.initialState(batchSize: 4))
/// ```
public final class VariationalUnit: Module, RecurrentCore {
  public let inputSize: Int
  public let hiddenSize: Int
  public let numDimensions: Int
  /// The LSTM core, when the unit has no memory.
  let lstm: LSTM?
  /// The DNC core, when the unit has a memory.
  let dnc: DNCWrapper?
  let distribution: MultivariateNormalDiagLocScaleHead

  /// `sharedMemory` is the memory the unit reads and writes (it must take inputs of `hiddenSize`),
  /// or `nil` for a plain LSTM core. With a memory, `dncClipValue` is the DNC's clip bound and
  /// `useDNCLinearProjection` whether the DNC projects `[controller output, read words]` back to
  /// `hiddenSize` (as the original DNC does). `initScale`, `minScale`, `tanhMean`, `fixedScale`,
  /// `wInit` and `bInit` are the distribution head's.
  public init(
    inputSize: Int, hiddenSize: Int, numDimensions: Int, sharedMemory: MemoryAccess? = nil,
    dncClipValue: Float? = nil, useDNCLinearProjection: Bool = true, initScale: Float = 0.1,
    minScale: Float = 1e-6, tanhMean: Bool = false, fixedScale: Bool = false, wInit: Initializer? = nil,
    bInit: Initializer = .zeros, name: String = "variational_unit", generator: inout RandomGenerator
  ) throws {
    try ModuleError.requirePositive(inputSize, "input_size", in: "VariationalUnit")
    try ModuleError.requirePositive(hiddenSize, "hidden_size", in: "VariationalUnit")
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    self.numDimensions = numDimensions
    let coreOutputSize: Int
    if let sharedMemory {
      let controller = try LSTM(
        inputSize: inputSize + sharedMemory.outputSize, hiddenSize: hiddenSize, generator: &generator)
      let projection =
        useDNCLinearProjection
        ? try Linear(
          inputSize: hiddenSize + sharedMemory.outputSize, outputSize: hiddenSize, name: "dnc_linear_output",
          generator: &generator) : nil
      let dnc = try DNCWrapper(
        lstm: controller, memory: sharedMemory, outputLayer: projection, clipValue: dncClipValue, name: "dnc")
      (lstm, self.dnc, coreOutputSize) = (nil, dnc, dnc.outputSize)
    } else {
      (lstm, dnc, coreOutputSize) = (
        try LSTM(inputSize: inputSize, hiddenSize: hiddenSize, generator: &generator), nil, hiddenSize
      )
    }
    distribution = try MultivariateNormalDiagLocScaleHead(
      inputSize: coreOutputSize, numDimensions: numDimensions, initScale: initScale, minScale: minScale,
      tanhMean: tanhMean, fixedScale: fixedScale, wInit: wInit, bInit: bInit, generator: &generator)
    super.init(name: name)
    registerParts(in: self)
  }

  /// Registers the core and the head under `core` and `distribution` in `module`.
  func registerParts(in module: Module) {
    if let lstm { module.register(lstm, as: "core") }
    if let dnc { module.register(dnc, as: "core") }
    module.register(distribution, as: "distribution")
  }

  /// Whether the core is a DNC.
  public var hasMemory: Bool { dnc != nil }

  public func initialState(batchSize: Int) -> VariationalCoreState {
    if let dnc { return .dnc(dnc.initialState(batchSize: batchSize)) }
    return .lstm(lstm!.initialState(batchSize: batchSize))
  }

  public func callAsFunction(
    _ input: Tensor, _ state: VariationalCoreState
  ) -> (LocScaleDistributionParameters, VariationalCoreState) {
    switch (state, lstm, dnc) {
    case (.lstm(let previous), let lstm?, _):
      let (output, next) = lstm(input, previous)
      return (distribution(output), .lstm(next))
    case (.dnc(let previous), _, let dnc?):
      let (output, next) = dnc(input, previous)
      return (distribution(output), .dnc(next))
    default:
      preconditionFailure(
        "VariationalUnit: the state does not match the core (\(hasMemory ? "DNC" : "LSTM"))")
    }
  }

  /// One step of an LSTM core given its input's contribution to the gates (``LSTM/step(inputGates:_:)``).
  func callAsFunction(
    inputGates: Tensor, _ state: VariationalCoreState
  ) -> (LocScaleDistributionParameters, VariationalCoreState) {
    guard case .lstm(let previous) = state, let lstm else {
      preconditionFailure("VariationalUnit: input gates need an LSTM core")
    }
    let (output, next) = lstm.step(inputGates: inputGates, previous)
    return (distribution(output), .lstm(next))
  }
}
