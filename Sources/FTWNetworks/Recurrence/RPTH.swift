import FTWLayers
import FTWTensor

/// The recurrent state of all RPTH cores (the reference keeps an `LSTMState` of tuples, or with a
/// shared memory a `DNCState` of tuples with one access state).
public struct RPTHCoreState: TensorStructure, Sendable {
  /// Each core's controller state, slow cores first, the fast core last.
  public var controllerStates: [LSTMState]
  /// With a shared memory, each core's last read words `[B, reads, W]`; empty without.
  public var accessOutputs: [Tensor]
  /// With a shared memory, its state; `nil` without.
  public var accessState: AccessState?

  public init(controllerStates: [LSTMState], accessOutputs: [Tensor] = [], accessState: AccessState? = nil) {
    self.controllerStates = controllerStates
    self.accessOutputs = accessOutputs
    self.accessState = accessState
  }

  public func combined(with other: RPTHCoreState, _ combine: (Tensor, Tensor) -> Tensor) -> RPTHCoreState {
    RPTHCoreState(
      controllerStates: zip(controllerStates, other.controllerStates).map { $0.combined(with: $1, combine) },
      accessOutputs: zip(accessOutputs, other.accessOutputs).map { combine($0, $1) },
      accessState: accessState.map { $0.combined(with: other.accessState!, combine) })
  }

  public func namedTensors() -> [(name: String, tensor: Tensor)] {
    guard let accessState else {
      return controllerStates.enumerated().map { ("hidden/\($0.offset)", $0.element.hidden) }
        + controllerStates.enumerated().map { ("cell/\($0.offset)", $0.element.cell) }
    }
    return controllerStates.enumerated().flatMap {
      TensorStructures.named($0.element, prefix: "controller_state/\($0.offset)")
    }
      + accessOutputs.enumerated().map { ("access_output/\($0.offset)", $0.element) }
      + TensorStructures.named(accessState, prefix: "access_state")
  }
}

/// The state of ``RPTH``: the cores' state, the slow cores' last outputs, the fast core's last
/// sample `z` `[B, D]`, and the step counter `[B]`. Named as the reference's `PeriodicRNNState`
/// whose `output` is `(slow outputs..., z)`.
public struct RPTHState: TensorStructure, Sendable {
  public var coreState: RPTHCoreState
  public var slowOutputs: [LocScaleDistributionParameters]
  public var z: Tensor
  public var step: Tensor

  public init(
    coreState: RPTHCoreState, slowOutputs: [LocScaleDistributionParameters], z: Tensor, step: Tensor
  ) {
    self.coreState = coreState
    self.slowOutputs = slowOutputs
    self.z = z
    self.step = step
  }

  public func combined(with other: RPTHState, _ combine: (Tensor, Tensor) -> Tensor) -> RPTHState {
    RPTHState(
      coreState: coreState.combined(with: other.coreState, combine),
      slowOutputs: zip(slowOutputs, other.slowOutputs).map { $0.combined(with: $1, combine) },
      z: combine(z, other.z), step: combine(step, other.step))
  }

  public func namedTensors() -> [(name: String, tensor: Tensor)] {
    TensorStructures.named(coreState, prefix: "core_state")
      + slowOutputs.enumerated().flatMap { TensorStructures.named($0.element, prefix: "output/\($0.offset)") }
      + [("output/\(slowOutputs.count)", z), ("step", step)]
  }
}

/// What ``RPTH`` returns each step (the reference's `RPTHOutput`): the fast core's sample `z`
/// `[B, D]` and every core's distribution parameters, slow cores first (the priors), the fast
/// core last (the posterior).
public struct RPTHOutput: TensorStructure, Sendable {
  public var z: Tensor
  public var distributionParameters: [LocScaleDistributionParameters]

  public init(z: Tensor, distributionParameters: [LocScaleDistributionParameters]) {
    self.z = z
    self.distributionParameters = distributionParameters
  }

  public func combined(with other: RPTHOutput, _ combine: (Tensor, Tensor) -> Tensor) -> RPTHOutput {
    RPTHOutput(
      z: combine(z, other.z),
      distributionParameters: zip(distributionParameters, other.distributionParameters).map {
        $0.combined(with: $1, combine)
      })
  }

  public func namedTensors() -> [(name: String, tensor: Tensor)] {
    [("z", z)]
      + distributionParameters.enumerated().flatMap {
        TensorStructures.named($0.element, prefix: "distribution_params/\($0.offset)")
      }
  }

  /// Per-step outputs stacked along a new leading time axis: `[T, B, D]` leaves.
  public static func stacked(_ steps: [RPTHOutput]) -> RPTHOutput {
    RPTHOutput(
      z: stack(steps.map(\.z)),
      distributionParameters: steps[0].distributionParameters.indices.map { core in
        LocScaleDistributionParameters(
          loc: stack(steps.map { $0.distributionParameters[core].loc }),
          scale: stack(steps.map { $0.distributionParameters[core].scale }))
      })
  }
}

/// Recurrent processing with temporal hierarchy (the reference's `RPTH`; FTW paper, Figure S11).
///
/// One or more slow ``PeriodicVariationalUnit``s (the priors, updated every `period` steps) and a
/// fast ``VariationalUnit`` (the posterior, every step). Slow cores step first, each reading the
/// other cores' newest hidden states (and read words) and the slow outputs so far; the fast core
/// reads `[input, slow cores' hidden states (and read words) and outputs, previous z]`, where the
/// gradient flowing back into the slow part is scaled by `scaleGradientsFastToSlow`. The output
/// `z = loc + scale · ε` is the fast core's reparameterised sample. With `sharedMemory`, every core
/// reads and writes the one memory, which is one set of parameters.
///
/// Noise: ``step(_:_:noise:)`` and ``unroll(_:_:noise:)`` take `ε` from the caller; the
/// `RecurrentCore` call draws it from ``generator``, which a caller may reseed. Either way a run
/// replays exactly.
///
/// Input `[B, inputSize]`. Parameters: `variational_units/{i}/...` (slow cores first) and
/// `shared_memory/...`.
///
/// ```swift
/// let rpth = try RPTH(inputSize: 266, period: [10], generator: &g)   // hidden 256, z 256
/// let (output, state) = rpth.step(x, rpth.initialState(batchSize: 4), noise: eps)
/// ```
public final class RPTH: Module, RecurrentCore {
  public let inputSize: Int
  /// The slow cores' periods, in the order the cores run.
  public let periods: [Float]
  public let hiddenSize: Int
  public let numDimensions: Int
  public let scaleGradientsFastToSlow: Float
  public let useTfdIndependent: Bool
  public let sharedMemory: MemoryAccess?
  let slowUnits: [PeriodicVariationalUnit]
  let fastUnit: VariationalUnit
  /// Where the `RecurrentCore` call draws its noise from.
  public var generator: RandomGenerator

  /// `period` holds one period per slow core, sorted in descending order unless
  /// `strictPeriodOrder` is false. `sharedMemory` is a memory all cores share (it must take inputs
  /// of `hiddenSize`), or `nil`. `scaleGradientsFastToSlow` multiplies the gradient from the fast
  /// core's input into the slow cores (forward values unchanged). `useTfdIndependent` is the
  /// reference's choice of distribution class; the numbers are the same. The other arguments are
  /// ``VariationalUnit``'s, for every core.
  public init(
    inputSize: Int, period: [Int], hiddenSize: Int = 256, numDimensions: Int = 256,
    dncClipValue: Float? = nil,
    useDNCLinearProjection: Bool = true, initScale: Float = 0.1, minScale: Float = 1e-6,
    tanhMean: Bool = false,
    fixedScale: Bool = false, useTfdIndependent: Bool = false, wInit: Initializer? = nil,
    bInit: Initializer = .zeros, sharedMemory: MemoryAccess? = nil, strictPeriodOrder: Bool = true,
    scaleGradientsFastToSlow: Float = 1, name: String = "rpth", generator: inout RandomGenerator
  ) throws {
    guard !period.isEmpty else {
      throw ModuleError(module: "RPTH", argument: "period", message: "needs at least one period")
    }
    try ModuleError.requirePositive(numDimensions, "num_dimensions", in: "RPTH")
    guard scaleGradientsFastToSlow.isFinite else {
      throw ModuleError(
        module: "RPTH", argument: "scale_gradients_fast_to_slow",
        message: "must be finite, got \(scaleGradientsFastToSlow)")
    }
    let periods = strictPeriodOrder ? period.sorted(by: >) : period
    self.inputSize = inputSize
    self.periods = periods.map(Float.init)
    self.hiddenSize = hiddenSize
    self.numDimensions = numDimensions
    self.scaleGradientsFastToSlow = scaleGradientsFastToSlow
    self.useTfdIndependent = useTfdIndependent
    self.sharedMemory = sharedMemory
    let cores = periods.count + 1
    let readSize = sharedMemory?.outputSize ?? 0
    var slowUnits: [PeriodicVariationalUnit] = []
    for (index, slowPeriod) in periods.enumerated() {
      slowUnits.append(
        try PeriodicVariationalUnit(
          period: Float(slowPeriod),
          inputSize: (cores - 1) * (hiddenSize + readSize) + index * 2 * numDimensions,
          hiddenSize: hiddenSize, numDimensions: numDimensions, sharedMemory: sharedMemory,
          dncClipValue: dncClipValue,
          useDNCLinearProjection: useDNCLinearProjection, initScale: initScale, minScale: minScale,
          tanhMean: tanhMean,
          fixedScale: fixedScale, wInit: wInit, bInit: bInit,
          name: "slow_variational_unit_\(index)_period_\(slowPeriod)",
          generator: &generator))
    }
    self.slowUnits = slowUnits
    fastUnit = try VariationalUnit(
      inputSize: inputSize + periods.count * (hiddenSize + readSize + 2 * numDimensions) + numDimensions,
      hiddenSize: hiddenSize, numDimensions: numDimensions, sharedMemory: sharedMemory,
      dncClipValue: dncClipValue,
      useDNCLinearProjection: useDNCLinearProjection, initScale: initScale, minScale: minScale,
      tanhMean: tanhMean,
      fixedScale: fixedScale, wInit: wInit, bInit: bInit, name: "fast_variational_unit", generator: &generator
    )
    self.generator = RandomGenerator(seed: generator.next())
    super.init(name: name)
    for (index, unit) in (slowUnits as [Module] + [fastUnit]).enumerated() {
      register(unit, as: "variational_units/\(index)", reference: "_variational_units/\(index)")
    }
    if let sharedMemory { register(sharedMemory, as: "shared_memory") }
  }

  /// The number of cores: the slow ones and the fast one.
  public var coreCount: Int { slowUnits.count + 1 }

  /// The slow cores, in the order they run (their periods are settable; see
  /// ``PeriodicVariationalUnit/setPeriod(_:)``).
  public var slowCores: [PeriodicVariationalUnit] { slowUnits }

  public func initialState(batchSize: Int) -> RPTHState {
    let controller = LSTMState(
      hidden: Tensor(zeros: [batchSize, hiddenSize]), cell: Tensor(zeros: [batchSize, hiddenSize]))
    let zeros = Tensor(zeros: [batchSize, numDimensions])
    var coreState = RPTHCoreState(controllerStates: Array(repeating: controller, count: coreCount))
    if let sharedMemory {
      coreState.accessOutputs = Array(
        repeating: Tensor(zeros: [batchSize, sharedMemory.numReads, sharedMemory.wordSize]), count: coreCount)
      coreState.accessState = sharedMemory.initialState(batchSize: batchSize)
    }
    return RPTHState(
      coreState: coreState,
      slowOutputs: Array(
        repeating: LocScaleDistributionParameters(loc: zeros, scale: zeros), count: slowUnits.count),
      z: zeros, step: Tensor(zeros: [batchSize]))
  }

  /// One step with noise drawn from ``generator``.
  public func callAsFunction(_ input: Tensor, _ state: RPTHState) -> (RPTHOutput, RPTHState) {
    let noise = Tensor(randomNormal: [input.shape[0], numDimensions], generator: &generator)
    return step(input, state, noise: noise)
  }

  /// One step with the posterior sample's standard-normal noise `ε` `[B, numDimensions]` given.
  public func step(_ input: Tensor, _ state: RPTHState, noise: Tensor) -> (RPTHOutput, RPTHState) {
    var slowGates: Tensor?
    return step(input, state, noise: noise, fastWeights: nil, slowGates: &slowGates)
  }

  /// The fast core's input weights `w_i` split by rows: those for the step's input and for `z`
  /// (stacked in that order), and those for what comes from the slow cores.
  struct FastInputWeights {
    let direct: Tensor
    let fromSlow: Tensor
  }

  /// The split, or `nil` when the fast core is a DNC (its controller also reads memory).
  func fastInputWeights() -> FastInputWeights? {
    guard let lstm = fastUnit.lstm else { return nil }
    let w = lstm.wI.value
    let zRows = (w.shape[0] - numDimensions)..<w.shape[0]
    return FastInputWeights(
      direct: concatenate(
        [w.slice(0..<inputSize, alongAxis: 0), w.slice(zRows, alongAxis: 0)], alongAxis: 0),
      fromSlow: w.slice(inputSize..<zRows.lowerBound, alongAxis: 0))
  }

  /// One step. With `fastWeights`, the fast core's gates are computed in two parts, and the slow
  /// cores' part, `slowGates`, is reused from the previous step when no slow core ran in between
  /// (its input is then the same tensors): at period 10 that skips most of the fast core's largest
  /// product. The values are those of the one product over the concatenated input, up to rounding.
  func step(
    _ input: Tensor, _ state: RPTHState, noise: Tensor, fastWeights: FastInputWeights?,
    slowGates: inout Tensor?
  ) -> (RPTHOutput, RPTHState) {
    precondition(
      input.rank == 2 && input.shape[1] == inputSize, "RPTH expects [B, \(inputSize)], got \(input.shape)")
    precondition(
      noise.shape == [input.shape[0], numDimensions],
      "RPTH noise must be [B, \(numDimensions)], got \(noise.shape)")
    let previous = state.coreState
    var controllers = previous.controllerStates
    var accessOutputs = previous.accessOutputs
    var accessState = previous.accessState
    var slowOutputs: [LocScaleDistributionParameters] = []
    func flattenedOutputs() -> [Tensor] { slowOutputs.flatMap { [$0.loc, $0.scale] } }

    for (index, unit) in slowUnits.enumerated() {
      // Cores before this one have stepped already: `controllers` holds their new states.
      let others = controllers.indices.filter { $0 != index }
      let input = concatenate(
        others.map { controllers[$0].hidden }
          + others.map { accessOutputs.isEmpty ? nil : accessOutputs[$0] }
          .compactMap { $0?.flattened() } + flattenedOutputs(), alongAxis: 1)
      let unitState = PeriodicRNNState(
        coreState: coreState(index, controllers, accessOutputs, accessState),
        output: state.slowOutputs[index],
        step: state.step)
      let (output, next) = unit(input, unitState)
      slowOutputs.append(output)
      store(next.coreState, at: index, &controllers, &accessOutputs, &accessState)
    }
    let slow = slowUnits.indices
    func fromSlow() -> Tensor {
      concatenate(
        slow.map { controllers[$0].hidden }
          + (accessOutputs.isEmpty ? [] : slow.map { accessOutputs[$0].flattened() })
          + flattenedOutputs(), alongAxis: 1
      ).scalingGradient(by: scaleGradientsFastToSlow)
    }
    let fast = slowUnits.count
    let fastState = coreState(fast, controllers, accessOutputs, accessState)
    let (posterior, next): (LocScaleDistributionParameters, VariationalCoreState)
    if let fastWeights {
      if slowGates == nil || slowUnits.contains(where: { $0.runs(atSteps: state.step) }) {
        slowGates = matmul(fromSlow(), fastWeights.fromSlow)
      }
      let direct = matmul(concatenate([input, state.z], alongAxis: 1), fastWeights.direct)
      (posterior, next) = fastUnit(inputGates: direct + slowGates!, fastState)
    } else {
      (posterior, next) = fastUnit(concatenate([input, fromSlow(), state.z], alongAxis: 1), fastState)
    }
    store(next, at: fast, &controllers, &accessOutputs, &accessState)
    let z = posterior.distribution.sample(noise: noise)
    let newState = RPTHState(
      coreState: RPTHCoreState(
        controllerStates: controllers, accessOutputs: accessOutputs, accessState: accessState),
      slowOutputs: slowOutputs, z: z, step: state.step + 1)
    return (RPTHOutput(z: z, distributionParameters: slowOutputs + [posterior]), newState)
  }

  /// The state core `index` steps from: its controller, and with a memory its read words and the
  /// shared access state.
  private func coreState(
    _ index: Int, _ controllers: [LSTMState], _ accessOutputs: [Tensor], _ accessState: AccessState?
  ) -> VariationalCoreState {
    guard let accessState else { return .lstm(controllers[index]) }
    return .dnc(
      DNCState(
        accessOutput: accessOutputs[index], accessState: accessState, controllerState: controllers[index]))
  }

  private func store(
    _ state: VariationalCoreState, at index: Int, _ controllers: inout [LSTMState],
    _ accessOutputs: inout [Tensor],
    _ accessState: inout AccessState?
  ) {
    switch state {
    case .lstm(let lstm):
      controllers[index] = lstm
    case .dnc(let dnc):
      controllers[index] = dnc.controllerState
      accessOutputs[index] = dnc.accessOutput
      accessState = dnc.accessState
    }
  }

  /// Steps over the leading time axis of `inputs` `[T, B, inputSize]`; `noise` is `[T, B,
  /// numDimensions]`, or `nil` to draw it from ``generator``.
  public func unroll(_ inputs: Tensor, _ state: RPTHState, noise: Tensor? = nil) -> (
    output: RPTHOutput, finalState: RPTHState
  ) {
    let steps = inputs.unstacked()
    let noises = noise?.unstacked()
    precondition(noises == nil || noises!.count == steps.count, "RPTH noise needs one step per input step")
    var state = state
    var outputs: [RPTHOutput] = []
    // The fast core's input weights are split once for the whole unroll.
    let fastWeights = fastInputWeights()
    var slowGates: Tensor?
    for (t, input) in steps.enumerated() {
      let stepNoise =
        noises?[t] ?? Tensor(randomNormal: [input.shape[0], numDimensions], generator: &generator)
      let (output, next) = step(
        input, state, noise: stepNoise, fastWeights: fastWeights, slowGates: &slowGates)
      outputs.append(output)
      state = next
    }
    return (RPTHOutput.stacked(outputs), state)
  }
}

/// RPTH with only its sample as output (the reference's `RPTHZWrapper`), for modules that want a
/// plain tensor core, such as ``RNNPixelControlNetwork``. Parameters: `core/...`.
///
/// ```swift
/// let core = RPTHZWrapper(rpth)
/// let (z, state) = core(x, core.initialState(batchSize: 4))
/// ```
public final class RPTHZWrapper: Module, TensorRecurrentCore {
  public let core: RPTH

  public init(_ core: RPTH) {
    self.core = core
    super.init(name: "rpth_z_wrapper")
    register(core, as: "core")
  }

  public var outputSize: Int { core.numDimensions }

  public func initialState(batchSize: Int) -> RPTHState { core.initialState(batchSize: batchSize) }

  public func callAsFunction(_ input: Tensor, _ state: RPTHState) -> (Tensor, RPTHState) {
    let (output, next) = core(input, state)
    return (output.z, next)
  }
}
