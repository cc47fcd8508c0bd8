import FTWLayers
import FTWTensor
import FTWTestSupport
import Testing

@Suite struct LSTMTests {
  @Test func lstmFollowsSonnet() throws {
    var g = RandomGenerator(seed: 4)
    let lstm = try LSTM(inputSize: 2, hiddenSize: 3, generator: &g)
    #expect(lstm.b.value.scalars == [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    #expect(lstm.namedParameters(naming: .reference).map(\.path) == ["_w_h", "_w_i", "b"])
    let state = lstm.initialState(batchSize: 2)
    #expect(state.hidden.shape == [2, 3] && state.cell.scalars.allSatisfy { $0 == 0 })
    let x = Tensor(shape: [2, 2], scalars: [0.5, -1, 2, 0.25])
    let previous = LSTMState(
      hidden: Tensor(repeating: 0.1, shape: [2, 3]), cell: Tensor(repeating: -0.3, shape: [2, 3]))
    let (h, next) = lstm(x, previous)
    // The same step written out: i, f, g, o quarters.
    let gates = matmul(x, lstm.wI.value) + matmul(previous.hidden, lstm.wH.value) + lstm.b.value
    let q = gates.split(count: 4, alongAxis: 1)
    let cell = q[1].sigmoid() * previous.cell + q[0].sigmoid() * q[2].tanh()
    #expect(next.cell.isIdentical(to: cell))
    #expect(h.isIdentical(to: q[3].sigmoid() * cell.tanh()))
    // The same step from the input's gates computed by the caller.
    let (hFromGates, nextFromGates) = lstm.step(inputGates: matmul(x, lstm.wI.value), previous)
    #expect(hFromGates.isIdentical(to: h) && nextFromGates.cell.isIdentical(to: next.cell))
    let (sequence, final) = staticUnroll(lstm, inputs: Tensor(zeros: [5, 2, 2]), initialState: state)
    #expect(sequence.shape == [5, 2, 3])
    #expect(sequence.element(4).isIdentical(to: final.hidden))
  }
}
