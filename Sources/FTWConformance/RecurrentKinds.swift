import FTWLayers
import FTWNetworks
import FTWTensor

/// The recurrent FTW modules: the DNC memory and wrapper, the variational units, RPTH and the FTW
/// network. Each case unrolls from the module's initial state over `x [T, B, D]`.
enum RecurrentKinds {
  static let all: [ConformanceKind] = [memoryAccess, dncWrapper]

  /// A ``MemoryAccess`` taking inputs of `inputSize` from a `memory` config.
  static func memory(_ config: CaseConfig, inputSize: Int, generator: inout RandomGenerator) throws -> MemoryAccess {
    let memory = try MemoryAccess(
      inputSize: inputSize, memorySize: config.int("memory_size", default: 128),
      wordSize: config.int("word_size", default: 20), numReads: config.int("num_reads", default: 1),
      numWrites: config.int("num_writes", default: 1), generator: &generator)
    try config.finish()
    return memory
  }

  /// The leaves of `state` as outputs named `final/...`.
  static func final<S: TensorStructure>(_ state: S) -> [String: Tensor] {
    Dictionary(uniqueKeysWithValues: TensorStructures.named(state, prefix: "final").map { ($0.name, $0.tensor) })
  }

  static let memoryAccess = ConformanceKind(name: "MemoryAccess") { config, inputs in
    let x = try inputs.float("x", rank: 3)
    var generator = RandomGenerator(seed: 0)
    let access = try memory(config, inputSize: x.shape[2], generator: &generator)
    return CaseModel(module: access) { inputs in
      let x = try inputs.float("x")
      let (reads, state): ([Tensor], AccessState) = staticUnroll(
        access, inputs: x, initialState: access.initialState(batchSize: x.shape[1]))
      return ["read_words": stack(reads)].merging(final(state)) { $1 }
    }
  }

  static let dncWrapper = ConformanceKind(name: "DNCWrapper") { config, inputs in
    let x = try inputs.float("x", rank: 3)
    var generator = RandomGenerator(seed: 0)
    let hiddenSize = try config.int("hidden_size")
    guard let memoryConfig = try config.nested("memory") else { throw ConformanceError.badConfig("memory is required") }
    let access = try memory(memoryConfig, inputSize: hiddenSize, generator: &generator)
    let lstm = try LSTM(inputSize: x.shape[2] + access.outputSize, hiddenSize: hiddenSize, generator: &generator)
    let outputLayer =
      try config.has("output_size")
      ? Linear(
        inputSize: hiddenSize + access.outputSize, outputSize: config.int("output_size"), generator: &generator)
      : nil
    let dnc = try DNCWrapper(
      lstm: lstm, memory: access, outputLayer: outputLayer, clipValue: config.has("clip_value") ? config.float("clip_value", default: 0) : nil)
    try config.finish()
    return CaseModel(module: dnc) { inputs in
      let x = try inputs.float("x")
      let (outputs, state) = staticUnroll(dnc, inputs: x, initialState: dnc.initialState(batchSize: x.shape[1]))
      return ["output": outputs].merging(final(state)) { $1 }
    }
  }
}
