import FTWTensor

/// A module stepped through time with a state (Sonnet's `RNNCore`).
///
/// One step maps an input and the previous state to an output and the next state.
/// `staticUnroll` runs it over a time axis.
///
/// ```swift
/// let lstm = try LSTM(inputSize: 4, hiddenSize: 8, generator: &g)
/// var state = lstm.initialState(batchSize: 2)
/// let (h, next) = lstm(Tensor(zeros: [2, 4]), state)
/// ```
public protocol RecurrentCore: Module {
  /// What one step takes.
  associatedtype Input = Tensor
  /// The recurrent state carried between steps.
  associatedtype State
  /// What one step returns besides the state.
  associatedtype Output = Tensor

  /// The state before the first step, for a batch of `batchSize`.
  func initialState(batchSize: Int) -> State
  /// One step.
  func callAsFunction(_ input: Input, _ state: State) -> (Output, State)
}

/// Runs `core` over the leading (time) axis of `inputs` `[T, B, ...]` from `initialState`
/// (Sonnet's `static_unroll`), returning each step's output and the final state.
public func staticUnroll<Core: RecurrentCore>(
  _ core: Core, inputs: Tensor, initialState: Core.State
) -> (outputs: [Core.Output], finalState: Core.State) where Core.Input == Tensor {
  var state = initialState
  var outputs: [Core.Output] = []
  outputs.reserveCapacity(inputs.shape.first ?? 0)
  for input in inputs.unstacked(alongAxis: 0) {
    let (output, next) = core(input, state)
    outputs.append(output)
    state = next
  }
  return (outputs, state)
}

/// Runs `core` over the leading (time) axis of `inputs` `[T, B, ...]`, stacking the per-step
/// outputs into `[T, B, ...]`.
public func staticUnroll<Core: RecurrentCore>(
  _ core: Core, inputs: Tensor, initialState: Core.State
) -> (outputs: Tensor, finalState: Core.State) where Core.Input == Tensor, Core.Output == Tensor {
  let (steps, state): ([Tensor], Core.State) = staticUnroll(core, inputs: inputs, initialState: initialState)
  return (stack(steps, alongAxis: 0), state)
}

/// A recurrent core whose step output is one tensor `[B, outputSize]`.
public protocol TensorRecurrentCore: RecurrentCore where Input == Tensor, Output == Tensor {
  /// The size of each step's output.
  var outputSize: Int { get }
}
