import FTWLayers
import FTWTensor

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
/// let small = try RPTH(inputSize: 8, period: [4, 2], options: VariationalUnitOptions(hiddenSize: 16, numDimensions: 4), generator: &g)
/// ```
public final class RPTH: Module, RecurrentCore {
  public let inputSize: Int
  /// The slow cores' periods, in the order the cores run.
  public let periods: [Float]
  /// The settings of every core.
  public let options: VariationalUnitOptions
  public private(set) var scaleGradientsFastToSlow: Float
  public let useTfdIndependent: Bool
  public let sharedMemory: MemoryAccess?
  let slowUnits: [PeriodicVariationalUnit]
  let fastUnit: VariationalUnit
  /// Where the `RecurrentCore` call draws its noise from.
  public var generator: RandomGenerator

  /// `period` holds one period per slow core, sorted in descending order unless
  /// `strictPeriodOrder` is false. `options` are every core's settings. `sharedMemory` is a memory
  /// all cores share (it must take inputs of `options.hiddenSize`), or `nil`.
  /// `scaleGradientsFastToSlow` multiplies the gradient from the fast core's input into the slow
  /// cores (forward values unchanged). `useTfdIndependent` is the reference's choice of
  /// distribution class; the numbers are the same.
  public init(
    inputSize: Int, period: [Int], options: VariationalUnitOptions = VariationalUnitOptions(),
    sharedMemory: MemoryAccess? = nil, useTfdIndependent: Bool = false, strictPeriodOrder: Bool = true,
    scaleGradientsFastToSlow: Float = 1, name: String = "rpth", generator: inout RandomGenerator
  ) throws {
    guard !period.isEmpty else {
      throw ModuleError(module: "RPTH", argument: "period", message: "needs at least one period")
    }
    try ModuleError.requirePositive(options.numDimensions, "num_dimensions", in: "RPTH")
    guard scaleGradientsFastToSlow.isFinite else {
      throw ModuleError(
        module: "RPTH", argument: "scale_gradients_fast_to_slow",
        message: "must be finite, got \(scaleGradientsFastToSlow)")
    }
    let periods = strictPeriodOrder ? period.sorted(by: >) : period
    self.inputSize = inputSize
    self.periods = periods.map(Float.init)
    self.options = options
    self.scaleGradientsFastToSlow = scaleGradientsFastToSlow
    self.useTfdIndependent = useTfdIndependent
    self.sharedMemory = sharedMemory
    // What one core passes to another (hidden state and read words), and what a slow core outputs.
    let features = options.hiddenSize + (sharedMemory?.outputSize ?? 0)
    let distribution = 2 * options.numDimensions
    var slowUnits: [PeriodicVariationalUnit] = []
    for (index, slowPeriod) in periods.enumerated() {
      // The other cores' features and the outputs of the slow cores before this one.
      slowUnits.append(
        try PeriodicVariationalUnit(
          period: Float(slowPeriod), inputSize: periods.count * features + index * distribution,
          options: options,
          sharedMemory: sharedMemory, name: "slow_variational_unit_\(index)_period_\(slowPeriod)",
          generator: &generator))
    }
    self.slowUnits = slowUnits
    // The input, the slow cores' features and outputs, and the previous sample.
    fastUnit = try VariationalUnit(
      inputSize: inputSize + periods.count * (features + distribution) + options.numDimensions,
      options: options,
      sharedMemory: sharedMemory, name: "fast_variational_unit", generator: &generator)
    self.generator = RandomGenerator(seed: generator.next())
    super.init(name: name)
    for (index, unit) in (slowUnits as [Module] + [fastUnit]).enumerated() {
      register(unit, as: "variational_units/\(index)", reference: "_variational_units/\(index)")
    }
    if let sharedMemory { register(sharedMemory, as: "shared_memory") }
  }

  /// Changes the scale of the gradient from the fast core into the slow cores (population-based
  /// training evolves it).
  ///
  /// - Throws: `ModuleError` for a scale that is not finite.
  public func setScaleGradientsFastToSlow(_ scale: Float) throws {
    guard scale.isFinite else {
      throw ModuleError(
        module: "RPTH", argument: "scale_gradients_fast_to_slow", message: "must be finite, got \(scale)")
    }
    scaleGradientsFastToSlow = scale
  }

  public var hiddenSize: Int { options.hiddenSize }
  public var numDimensions: Int { options.numDimensions }

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
    var noReuse: SlowGateReuse?
    return step(input, state, noise: noise, reuse: &noReuse)
  }

  /// One step; with `reuse`, the fast core's input gates come from it (see ``SlowGateReuse``).
  private func step(
    _ input: Tensor, _ state: RPTHState, noise: Tensor, reuse: inout SlowGateReuse?
  ) -> (RPTHOutput, RPTHState) {
    precondition(
      input.rank == 2 && input.shape[1] == inputSize, "RPTH expects [B, \(inputSize)], got \(input.shape)")
    precondition(
      noise.shape == [input.shape[0], numDimensions],
      "RPTH noise must be [B, \(numDimensions)], got \(noise.shape)")
    var cores = state.coreState
    var priors: [LocScaleDistributionParameters] = []
    func flattened(_ outputs: [LocScaleDistributionParameters]) -> [Tensor] {
      outputs.flatMap { [$0.loc, $0.scale] }
    }
    // Slow cores: each reads the other cores' newest features (the cores before it have stepped
    // already) and the slow outputs so far.
    for (index, unit) in slowUnits.enumerated() {
      let others = (0..<coreCount).filter { $0 != index }
      let unitInput = concatenate(cores.features(ofCores: others) + flattened(priors), alongAxis: 1)
      let (prior, next) = unit(
        unitInput,
        PeriodicRNNState(coreState: cores[core: index], output: state.slowOutputs[index], step: state.step))
      priors.append(prior)
      cores[core: index] = next.coreState
    }
    // The fast core: the input, what the slow cores pass on (its gradient scaled), the previous z.
    func fromSlowCores() -> Tensor {
      concatenate(cores.features(ofCores: slowUnits.indices) + flattened(priors), alongAxis: 1)
        .scalingGradient(by: scaleGradientsFastToSlow)
    }
    let fast = slowUnits.count
    let (posterior, next): (LocScaleDistributionParameters, VariationalCoreState)
    if reuse != nil {
      let slowCoresRan = slowUnits.contains { $0.runs(atSteps: state.step) }
      let gates = reuse!.inputGates(
        input: input, z: state.z, slowCoresRan: slowCoresRan, fromSlowCores: fromSlowCores)
      (posterior, next) = fastUnit(inputGates: gates, cores[core: fast])
    } else {
      (posterior, next) = fastUnit(
        concatenate([input, fromSlowCores(), state.z], alongAxis: 1), cores[core: fast])
    }
    cores[core: fast] = next
    let z = posterior.distribution.sample(noise: noise)
    return (
      RPTHOutput(z: z, distributionParameters: priors + [posterior]),
      RPTHState(coreState: cores, slowOutputs: priors, z: z, step: state.step + 1)
    )
  }

  /// Steps over the leading time axis of `inputs` `[T, B, inputSize]`; `noise` is `[T, B,
  /// numDimensions]`, or `nil` to draw it from ``generator``.
  ///
  /// The values are those of stepping, up to rounding: when the fast core is an LSTM, its input
  /// gates are computed in two parts and the slow cores' part is reused between slow updates
  /// (`SlowGateReuse`).
  public func unroll(_ inputs: Tensor, _ state: RPTHState, noise: Tensor? = nil) -> (
    output: RPTHOutput, finalState: RPTHState
  ) {
    let steps = inputs.unstacked()
    let noises = noise?.unstacked()
    precondition(noises == nil || noises!.count == steps.count, "RPTH noise needs one step per input step")
    var state = state
    var outputs: [RPTHOutput] = []
    var reuse = SlowGateReuse(self)
    for (t, input) in steps.enumerated() {
      let stepNoise =
        noises?[t] ?? Tensor(randomNormal: [input.shape[0], numDimensions], generator: &generator)
      let (output, next) = step(input, state, noise: stepNoise, reuse: &reuse)
      outputs.append(output)
      state = next
    }
    return (RPTHOutput.stacked(outputs), state)
  }
}

/// The fast core's input gates over an unroll, as two products: `[input, z] · W_direct` at every
/// step, and `[slow cores' features and outputs] · W_slow`, which is kept and reused until a slow
/// core runs again, since its input is the same tensors until then. At period 10 that skips most of
/// the fast core's largest product. The values are those of the one product over the concatenated
/// input, up to rounding.
struct SlowGateReuse {
  /// The rows of the fast LSTM's `w_i` for the input and for `z`, stacked in that order.
  private let direct: Tensor
  /// The rows for what comes from the slow cores.
  private let fromSlow: Tensor
  /// The slow cores' part of the gates since they last ran.
  private var slowPart: Tensor?

  /// The reuse for `rpth`'s fast core, or `nil` when that core is a DNC (its controller also reads
  /// the memory, so its input is not split this way).
  init?(_ rpth: RPTH) {
    guard case .lstm(let lstm) = rpth.fastUnit.core else { return nil }
    let w = lstm.wI.value
    let zRows = (w.shape[0] - rpth.numDimensions)..<w.shape[0]
    direct = concatenate(
      [w.slice(0..<rpth.inputSize, alongAxis: 0), w.slice(zRows, alongAxis: 0)], alongAxis: 0)
    fromSlow = w.slice(rpth.inputSize..<zRows.lowerBound, alongAxis: 0)
  }

  /// `[input, fromSlowCores(), z] · w_i`, computing the slow cores' part afresh on the first step
  /// and whenever `slowCoresRan`.
  mutating func inputGates(
    input: Tensor, z: Tensor, slowCoresRan: Bool, fromSlowCores: () -> Tensor
  ) -> Tensor {
    if slowPart == nil || slowCoresRan { slowPart = matmul(fromSlowCores(), fromSlow) }
    return matmul(concatenate([input, z], alongAxis: 1), direct) + slowPart!
  }
}
