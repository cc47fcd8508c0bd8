import FTWLayers
import FTWTensor

/// The recurrent core of a ``VariationalUnit``: a plain LSTM, or a DNC over a (possibly shared)
/// memory.
public enum VariationalCore {
  case lstm(LSTM)
  case dnc(DNCWrapper)

  /// The core as a module, to register.
  var module: Module {
    switch self {
    case .lstm(let lstm): return lstm
    case .dnc(let dnc): return dnc
    }
  }

  /// The size of each step's output.
  var outputSize: Int {
    switch self {
    case .lstm(let lstm): return lstm.outputSize
    case .dnc(let dnc): return dnc.outputSize
    }
  }

  func initialState(batchSize: Int) -> VariationalCoreState {
    switch self {
    case .lstm(let lstm): return .lstm(lstm.initialState(batchSize: batchSize))
    case .dnc(let dnc): return .dnc(dnc.initialState(batchSize: batchSize))
    }
  }

  /// One step; `state` must be this core's kind.
  func callAsFunction(_ input: Tensor, _ state: VariationalCoreState) -> (Tensor, VariationalCoreState) {
    switch (self, state) {
    case (.lstm(let lstm), .lstm(let previous)):
      let (output, next) = lstm(input, previous)
      return (output, .lstm(next))
    case (.dnc(let dnc), .dnc(let previous)):
      let (output, next) = dnc(input, previous)
      return (output, .dnc(next))
    default:
      preconditionFailure("VariationalUnit: the state does not match the core (\(self))")
    }
  }
}

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
/// let options = VariationalUnitOptions(hiddenSize: 64, numDimensions: 16)
/// let unit = try VariationalUnit(inputSize: 32, options: options, generator: &g)
/// let (parameters, state) = unit(x, unit.initialState(batchSize: 4))
/// ```
public final class VariationalUnit: Module, RecurrentCore {
  public let inputSize: Int
  public let options: VariationalUnitOptions
  public let core: VariationalCore
  let distribution: MultivariateNormalDiagLocScaleHead

  /// `sharedMemory` is the memory the unit reads and writes (it must take inputs of
  /// `options.hiddenSize`), or `nil` for a plain LSTM core.
  public init(
    inputSize: Int, options: VariationalUnitOptions, sharedMemory: MemoryAccess? = nil,
    name: String = "variational_unit", generator: inout RandomGenerator
  ) throws {
    try ModuleError.requirePositive(inputSize, "input_size", in: "VariationalUnit")
    try ModuleError.requirePositive(options.hiddenSize, "hidden_size", in: "VariationalUnit")
    self.inputSize = inputSize
    self.options = options
    let hiddenSize = options.hiddenSize
    if let sharedMemory {
      let controller = try LSTM(
        inputSize: inputSize + sharedMemory.outputSize, hiddenSize: hiddenSize, generator: &generator)
      let projection =
        options.useDNCLinearProjection
        ? try Linear(
          inputSize: hiddenSize + sharedMemory.outputSize, outputSize: hiddenSize, name: "dnc_linear_output",
          generator: &generator) : nil
      core = .dnc(
        try DNCWrapper(
          lstm: controller, memory: sharedMemory, outputLayer: projection, clipValue: options.dncClipValue,
          name: "dnc"))
    } else {
      core = .lstm(try LSTM(inputSize: inputSize, hiddenSize: hiddenSize, generator: &generator))
    }
    distribution = try MultivariateNormalDiagLocScaleHead(
      inputSize: core.outputSize, numDimensions: options.numDimensions, initScale: options.initScale,
      minScale: options.minScale, tanhMean: options.tanhMean, fixedScale: options.fixedScale,
      wInit: options.wInit, bInit: options.bInit, generator: &generator)
    super.init(name: name)
    registerParts(in: self)
  }

  /// Registers the core and the head under `core` and `distribution` in `module`.
  func registerParts(in module: Module) {
    module.register(core.module, as: "core")
    module.register(distribution, as: "distribution")
  }

  public var hiddenSize: Int { options.hiddenSize }
  public var numDimensions: Int { options.numDimensions }

  public func initialState(batchSize: Int) -> VariationalCoreState {
    core.initialState(batchSize: batchSize)
  }

  public func callAsFunction(
    _ input: Tensor, _ state: VariationalCoreState
  ) -> (LocScaleDistributionParameters, VariationalCoreState) {
    let (output, next) = core(input, state)
    return (distribution(output), next)
  }

  /// One step of an LSTM core given its input's contribution to the gates (``LSTM/step(inputGates:_:)``).
  func callAsFunction(
    inputGates: Tensor, _ state: VariationalCoreState
  ) -> (LocScaleDistributionParameters, VariationalCoreState) {
    guard case .lstm(let lstm) = core, case .lstm(let previous) = state else {
      preconditionFailure("VariationalUnit: input gates need an LSTM core and its state")
    }
    let (output, next) = lstm.step(inputGates: inputGates, previous)
    return (distribution(output), .lstm(next))
  }
}
