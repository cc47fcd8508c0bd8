import FTWLayers
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct ParameterIOTests {
  @Test func saveAndLoadByPath() throws {
    var g = RandomGenerator(seed: 11)
    let source = Sequential([
      .layer(try Linear(inputSize: 3, outputSize: 4, generator: &g)), .activation(.tanh),
      .layer(try LSTMCellHolder(generator: &g)),
    ])
    let target = Sequential([
      .layer(try Linear(inputSize: 3, outputSize: 4, generator: &g)), .activation(.tanh),
      .layer(try LSTMCellHolder(generator: &g)),
    ])
    try withTemporaryFolder { folder in
      for naming in [ParameterNaming.swift, .reference] {
        let url = folder.appendingPathComponent("m.safetensors")
        try source.saveParameters(to: url, naming: naming)
        try target.loadParameters(from: SafetensorsFile(contentsOf: url), naming: naming)
        for ((p, a), (q, b)) in zip(source.namedParameters(), target.namedParameters()) {
          #expect(p == q)
          #expect(a.value.isIdentical(to: b.value))
        }
      }
      let keys = try SafetensorsFile(contentsOf: folder.appendingPathComponent("m.safetensors")).keys
      #expect(
        keys == [
          "_layers/0/b", "_layers/0/w", "_layers/2/_lstm/_w_h", "_layers/2/_lstm/_w_i", "_layers/2/_lstm/b",
        ])
    }
  }

  @Test func aFailedLoadChangesNothing() throws {
    var g = RandomGenerator(seed: 12)
    let linear = try Linear(inputSize: 3, outputSize: 2, generator: &g)
    let before = linear.w.value
    var file = SafetensorsFile(name: "partial.safetensors")
    file.set("w", Tensor(ones: [3, 2]))
    #expect(throws: SafetensorsError.missingKey(file: "partial.safetensors", key: "b")) {
      try linear.loadParameters(from: file)
    }
    #expect(linear.w.value.isIdentical(to: before))
    file.set("b", Tensor(ones: [5]))
    #expect(
      throws: SafetensorsError.shapeMismatch(file: "partial.safetensors", key: "b", expected: [2], found: [5])
    ) {
      try linear.loadParameters(from: file)
    }
    #expect(linear.w.value.isIdentical(to: before))
  }
}

/// A layer wrapping an LSTM step on zero state, to put a recurrent core inside a Sequential.
final class LSTMCellHolder: Module, Layer {
  let lstm: LSTM
  init(generator: inout RandomGenerator) throws {
    lstm = try LSTM(inputSize: 4, hiddenSize: 2, generator: &generator)
    super.init(name: "holder")
    register(lstm, as: "lstm")
  }
  func callAsFunction(_ input: Tensor) -> Tensor {
    lstm(input, lstm.initialState(batchSize: input.shape[0])).0
  }
}
