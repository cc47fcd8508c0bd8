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

  /// Core `index`'s state as its variational unit takes and returns it: its controller, and with
  /// a memory its read words and the shared access state (which every core's step replaces).
  subscript(core index: Int) -> VariationalCoreState {
    get {
      guard let accessState else { return .lstm(controllerStates[index]) }
      return .dnc(
        DNCState(
          accessOutput: accessOutputs[index], accessState: accessState,
          controllerState: controllerStates[index]))
    }
    set {
      switch newValue {
      case .lstm(let lstm):
        controllerStates[index] = lstm
      case .dnc(let dnc):
        controllerStates[index] = dnc.controllerState
        accessOutputs[index] = dnc.accessOutput
        accessState = dnc.accessState
      }
    }
  }

  /// What cores `indices` pass to the others: their hidden states, then (with a memory) their
  /// read words flattened, `[B, hiddenSize]` and `[B, reads * W]` each.
  func features(ofCores indices: some Collection<Int>) -> [Tensor] {
    indices.map { controllerStates[$0].hidden }
      + (accessOutputs.isEmpty ? [] : indices.map { accessOutputs[$0].flattened() })
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
