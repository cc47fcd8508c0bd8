import FTWLayers
import FTWTensor

/// The state of a unit that updates periodically (the reference's `PeriodicRNNState`): its core's
/// state, its last output, and a step counter `[B]` (a float, as in the reference).
public struct PeriodicRNNState<CoreState: TensorStructure>: TensorStructure {
  public var coreState: CoreState
  public var output: LocScaleDistributionParameters
  public var step: Tensor

  public init(coreState: CoreState, output: LocScaleDistributionParameters, step: Tensor) {
    self.coreState = coreState
    self.output = output
    self.step = step
  }

  public func combined(with other: PeriodicRNNState, _ combine: (Tensor, Tensor) -> Tensor)
    -> PeriodicRNNState
  {
    PeriodicRNNState(
      coreState: coreState.combined(with: other.coreState, combine),
      output: output.combined(with: other.output, combine), step: combine(step, other.step))
  }

  public func namedTensors() -> [(name: String, tensor: Tensor)] {
    TensorStructures.named(coreState, prefix: "core_state") + TensorStructures.named(output, prefix: "output")
      + [("step", step)]
  }
}

/// Whether a periodic unit updates at step counter `step`: `step mod period == 0`, the floor
/// modulo of floats, as the reference computes it. The learner's KL term uses the same rule.
public func periodicUnitUpdates(atStep step: Float, period: Float) -> Bool {
  step - period * (step / period).rounded(.down) == 0
}

/// Per batch row, 1 where the unit updates at its step counter, else 0: `[B]`.
func periodicUpdateMask(step: Tensor, period: Float) -> Tensor {
  Tensor(shape: step.shape) { out in
    step.withUnsafeBufferPointer { steps in
      for i in 0..<steps.count { out[i] = periodicUnitUpdates(atStep: steps[i], period: period) ? 1 : 0 }
    }
  }
}

/// A variational unit that updates only every `period` steps (the reference's
/// `PeriodicVariationalUnit`): the slow core of RPTH.
///
/// Where `step mod period == 0` (per batch row) the core steps and its new state and output are
/// kept; elsewhere the previous ones pass through (and gradients flow to them). A step on which no
/// row updates does not run the core. The step counter increments every call and starts at 0 in
/// ``initialState(batchSize:)``.
/// Parameters: `core/...`, `distribution/...`, as ``VariationalUnit``.
///
/// ```swift
/// let options = VariationalUnitOptions(hiddenSize: 64, numDimensions: 16)
/// let slow = try PeriodicVariationalUnit(period: 10, inputSize: 32, options: options, generator: &g)
/// let (parameters, state) = slow(x, slow.initialState(batchSize: 4))
/// ```
public final class PeriodicVariationalUnit: Module, RecurrentCore {
  let unit: VariationalUnit
  /// Steps between updates; a population-based-training hyperparameter (see ``setPeriod(_:)``).
  public private(set) var period: Float

  /// The arguments after `period` are ``VariationalUnit``'s.
  ///
  /// - Throws: `ModuleError` for a period that is not positive, and the unit's errors.
  public init(
    period: Float, inputSize: Int, options: VariationalUnitOptions, sharedMemory: MemoryAccess? = nil,
    name: String = "periodic_variational_unit", generator: inout RandomGenerator
  ) throws {
    try Self.validate(period: period)
    self.period = period
    unit = try VariationalUnit(
      inputSize: inputSize, options: options, sharedMemory: sharedMemory, name: name, generator: &generator)
    super.init(name: name)
    unit.registerParts(in: self)
  }

  /// Throws unless `period` is a valid period: positive and finite.
  public static func validate(period: Float) throws {
    guard period > 0, period.isFinite else {
      throw ModuleError(
        module: "PeriodicVariationalUnit", argument: "period", message: "must be positive, got \(period)")
    }
  }

  /// Changes the period (as population-based training does between learner steps).
  public func setPeriod(_ newPeriod: Float) throws {
    try Self.validate(period: newPeriod)
    period = newPeriod
  }

  public var inputSize: Int { unit.inputSize }
  public var hiddenSize: Int { unit.hiddenSize }
  public var numDimensions: Int { unit.numDimensions }

  public func initialState(batchSize: Int) -> PeriodicRNNState<VariationalCoreState> {
    PeriodicRNNState(
      coreState: unit.initialState(batchSize: batchSize),
      output: LocScaleDistributionParameters(
        loc: Tensor(zeros: [batchSize, numDimensions]), scale: Tensor(zeros: [batchSize, numDimensions])),
      step: Tensor(zeros: [batchSize]))
  }

  /// Whether any batch row updates at step counters `step` `[B]`, that is, whether a call on a
  /// state with these counters runs the core.
  func runs(atSteps step: Tensor) -> Bool {
    step.withUnsafeBufferPointer { steps in steps.contains { periodicUnitUpdates(atStep: $0, period: period) }
    }
  }

  public func callAsFunction(
    _ input: Tensor, _ state: PeriodicRNNState<VariationalCoreState>
  ) -> (LocScaleDistributionParameters, PeriodicRNNState<VariationalCoreState>) {
    let next = state.step + 1
    // Where no row updates, every new value would be discarded: the unit is not run at all (9 steps
    // in 10 at period 10). Values and gradients are those of running it and selecting the old ones.
    guard runs(atSteps: state.step) else {
      return (state.output, PeriodicRNNState(coreState: state.coreState, output: state.output, step: next))
    }
    let update = periodicUpdateMask(step: state.step, period: period)
    let (newOutput, newCoreState) = unit(input, state.coreState)
    let output = TensorStructures.selectRows(update, newOutput, state.output)
    let coreState = TensorStructures.selectRows(update, newCoreState, state.coreState)
    return (output, PeriodicRNNState(coreState: coreState, output: output, step: next))
  }
}
