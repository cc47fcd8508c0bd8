import FTWTensor

/// The state of an ``LSTM``: hidden and cell, each `[B, hiddenSize]`.
public struct LSTMState: Sendable {
  public var hidden: Tensor
  public var cell: Tensor

  public init(hidden: Tensor, cell: Tensor) {
    self.hidden = hidden
    self.cell = cell
  }
}

/// A long short-term memory core with Sonnet's semantics (`snt.LSTM`).
///
/// `gates = x · w_i + h · w_h + b`, split in the order input, forget, cell, output;
/// `c' = σ(f) c + σ(i) tanh(g)`, `h' = σ(o) tanh(c')`. The forget bias is added once to the forget
/// quarter of `b` when it is initialised, never at each step.
///
/// Parameters: `w_i` `[inputSize, 4H]`, `w_h` `[H, 4H]`, `b` `[4H]` (reference names `_w_i`,
/// `_w_h`, `b`). Input `[B, inputSize]`; output `h'` `[B, H]`.
///
/// ```swift
/// let lstm = try LSTM(inputSize: 4, hiddenSize: 6, generator: &g)
/// let (hiddens, final) = staticUnroll(lstm, inputs: x, initialState: lstm.initialState(batchSize: 3))
/// ```
public final class LSTM: Module, RecurrentCore {
  public let inputSize: Int
  public let hiddenSize: Int
  /// Input-to-hidden weights `[inputSize, 4H]`.
  public let wI: Parameter
  /// Hidden-to-hidden weights `[H, 4H]`.
  public let wH: Parameter
  /// Gate biases `[4H]`.
  public let b: Parameter

  /// Creates the core; weights default to truncated normals with deviations `1/sqrt(inputSize)`
  /// and `1/sqrt(hiddenSize)`, biases to zero plus `forgetBias` on the forget quarter.
  public init(
    inputSize: Int, hiddenSize: Int, forgetBias: Float = 1, wIInit: Initializer? = nil,
    wHInit: Initializer? = nil, bInit: Initializer = .zeros, name: String = "lstm",
    generator: inout RandomGenerator
  ) throws {
    try ModuleError.requirePositive(inputSize, "input_size", in: "LSTM")
    try ModuleError.requirePositive(hiddenSize, "hidden_size", in: "LSTM")
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    let gates = 4 * hiddenSize
    wI = Parameter(
      (wIInit ?? .sonnetDefault(fanIn: inputSize)).tensor(shape: [inputSize, gates], generator: &generator))
    wH = Parameter(
      (wHInit ?? .sonnetDefault(fanIn: hiddenSize)).tensor(shape: [hiddenSize, gates], generator: &generator))
    let bias = bInit.tensor(shape: [gates], generator: &generator)
    let forget = Tensor(shape: [gates]) { out in
      for i in 0..<gates { out[i] = (hiddenSize..<2 * hiddenSize).contains(i) ? forgetBias : 0 }
    }
    b = Parameter(bias + forget)
    super.init(name: name)
    register(wI, as: "w_i", reference: "_w_i")
    register(wH, as: "w_h", reference: "_w_h")
    register(b, as: "b")
  }

  public func initialState(batchSize: Int) -> LSTMState {
    LSTMState(hidden: Tensor(zeros: [batchSize, hiddenSize]), cell: Tensor(zeros: [batchSize, hiddenSize]))
  }

  public func callAsFunction(_ input: Tensor, _ state: LSTMState) -> (Tensor, LSTMState) {
    precondition(
      input.rank == 2 && input.shape[1] == inputSize, "LSTM expects [B, \(inputSize)], got \(input.shape)")
    return step(inputGates: matmul(input, wI.value), state)
  }

  /// One step given the input's contribution to the gates, `input · w_i` `[B, 4 * hiddenSize]`,
  /// computed by the caller (for example in parts, reusing a part that has not changed since an
  /// earlier step).
  ///
  /// ```swift
  /// let (output, next) = lstm.step(inputGates: matmul(x, lstm.wI.value), state)  // == lstm(x, state)
  /// ```
  public func step(inputGates: Tensor, _ state: LSTMState) -> (Tensor, LSTMState) {
    precondition(
      inputGates.rank == 2 && inputGates.shape[1] == 4 * hiddenSize,
      "LSTM input gates must be [B, \(4 * hiddenSize)], got \(inputGates.shape)")
    let gates = inputGates + matmul(state.hidden, wH.value) + b.value
    let parts = gates.split(count: 4, alongAxis: 1)
    let cell = parts[1].sigmoid() * state.cell + parts[0].sigmoid() * parts[2].tanh()
    let hidden = parts[3].sigmoid() * cell.tanh()
    return (hidden, LSTMState(hidden: hidden, cell: cell))
  }
}

extension LSTM: TensorRecurrentCore {
  public var outputSize: Int { hiddenSize }
}
