import FTWLayers
import FTWNetworks
import FTWTensor

/// The recurrent FTW modules: the DNC memory and wrapper, the variational units, RPTH and the FTW
/// network. Each case unrolls from the module's initial state over `x [T, B, D]`.
enum RecurrentKinds {
  static let all: [ConformanceKind] = [
    memoryAccess, dncWrapper, variationalUnit, periodicVariationalUnit, rpth, ftwNetwork,
  ]

  /// A ``MemoryAccess`` taking inputs of `inputSize` from a `memory` config.
  static func memory(_ config: CaseConfig, inputSize: Int, generator: inout RandomGenerator) throws
    -> MemoryAccess
  {
    let memory = try MemoryAccess(
      inputSize: inputSize, memorySize: config.size("memory_size", default: 128),
      wordSize: config.size("word_size", default: 20), numReads: config.size("num_reads", default: 1),
      numWrites: config.size("num_writes", default: 1), generator: &generator)
    try config.finish()
    return memory
  }

  /// The leaves of `structure` as outputs, named as the fixtures name them, under `prefix/` if given.
  static func named<S: TensorStructure>(_ structure: S, prefix: String? = nil) -> [String: Tensor] {
    let leaves = prefix.map { TensorStructures.named(structure, prefix: $0) } ?? structure.namedTensors()
    return Dictionary(uniqueKeysWithValues: leaves.map { ($0.name, $0.tensor) })
  }

  /// The model of a case that unrolls `core` over `x [T, B, D]` from its initial state: `outputs` of
  /// the steps, and the final state as `final/...`.
  static func unrolled<Core: RecurrentCore>(
    _ core: Core, outputs: @escaping ([Core.Output]) -> [String: Tensor]
  ) -> CaseModel where Core.Input == Tensor, Core.State: TensorStructure {
    CaseModel(module: core) { inputs in
      let x = try inputs.float("x")
      let (steps, state): ([Core.Output], Core.State) = staticUnroll(
        core, inputs: x, initialState: core.initialState(batchSize: x.shape[1]))
      return outputs(steps).merging(named(state, prefix: "final")) { $1 }
    }
  }

  static let memoryAccess = ConformanceKind(name: "MemoryAccess") { config, inputs in
    let x = try inputs.float("x", rank: 3)
    var generator = RandomGenerator(seed: 0)
    let access = try memory(config, inputSize: x.shape[2], generator: &generator)
    return unrolled(access) { ["read_words": stack($0)] }
  }

  static let dncWrapper = ConformanceKind(name: "DNCWrapper") { config, inputs in
    let x = try inputs.float("x", rank: 3)
    var generator = RandomGenerator(seed: 0)
    let hiddenSize = try config.size("hidden_size")
    guard let memoryConfig = try config.nested("memory") else {
      throw ConformanceError.badConfig("memory is required")
    }
    let access = try memory(memoryConfig, inputSize: hiddenSize, generator: &generator)
    let lstm = try LSTM(
      inputSize: x.shape[2] + access.outputSize, hiddenSize: hiddenSize, generator: &generator)
    let outputLayer =
      try config.has("output_size")
      ? Linear(
        inputSize: hiddenSize + access.outputSize, outputSize: config.size("output_size"),
        generator: &generator)
      : nil
    let dnc = try DNCWrapper(
      lstm: lstm, memory: access, outputLayer: outputLayer,
      clipValue: config.optionalFloat("clip_value", atLeast: 0))
    try config.finish()
    return unrolled(dnc) { ["output": stack($0)] }
  }

  /// The settings every variational unit of a case shares, and the memory they share, if any.
  struct UnitConfig {
    var options: VariationalUnitOptions
    var memoryConfig: CaseConfig?

    init(_ config: CaseConfig, defaultSizes: Int? = nil) throws {
      let head = try NetworkKinds.HeadOptions(config, defaultInitScale: 0.1)
      options = VariationalUnitOptions(
        hiddenSize: try config.size("hidden_size", default: defaultSizes),
        numDimensions: try config.size("num_dimensions", default: defaultSizes),
        dncClipValue: try config.optionalFloat("dnc_clip_value", atLeast: 0),
        useDNCLinearProjection: try config.bool("use_dnc_linear_projection", default: true),
        initScale: head.initScale, minScale: head.minScale, tanhMean: head.tanhMean,
        fixedScale: head.fixedScale)
      memoryConfig = try config.nested("memory")
    }

    func memory(_ generator: inout RandomGenerator) throws -> MemoryAccess? {
      try memoryConfig.map {
        try RecurrentKinds.memory($0, inputSize: options.hiddenSize, generator: &generator)
      }
    }
  }

  /// `loc` and `scale` stacked over time.
  static func stacked(_ steps: [LocScaleDistributionParameters]) -> [String: Tensor] {
    ["loc": stack(steps.map(\.loc)), "scale": stack(steps.map(\.scale))]
  }

  static let variationalUnit = ConformanceKind(name: "VariationalUnit") { config, inputs in
    let x = try inputs.float("x", rank: 3)
    var generator = RandomGenerator(seed: 0)
    let units = try UnitConfig(config)
    let unit = try VariationalUnit(
      inputSize: x.shape[2], options: units.options, sharedMemory: units.memory(&generator),
      generator: &generator)
    try config.finish()
    return unrolled(unit, outputs: stacked)
  }

  static let periodicVariationalUnit = ConformanceKind(name: "PeriodicVariationalUnit") { config, inputs in
    let x = try inputs.float("x", rank: 3)
    var generator = RandomGenerator(seed: 0)
    let units = try UnitConfig(config)
    let unit = try PeriodicVariationalUnit(
      period: Float(config.int("period")), inputSize: x.shape[2], options: units.options,
      sharedMemory: units.memory(&generator), generator: &generator)
    try config.finish()
    return unrolled(unit, outputs: stacked)
  }

  /// An ``RPTH`` taking inputs of `inputSize` from an RPTH config.
  static func rpth(_ config: CaseConfig, inputSize: Int, generator: inout RandomGenerator) throws -> RPTH {
    let units = try UnitConfig(config, defaultSizes: 256)
    guard let periods = try config.intList("period") else {
      throw ConformanceError.badConfig("\(config.context)period must be an integer or a list of integers")
    }
    let core = try RPTH(
      inputSize: inputSize, period: periods, options: units.options, sharedMemory: units.memory(&generator),
      useTfdIndependent: config.bool("use_tfd_independent", default: false),
      strictPeriodOrder: config.bool("strict_period_order", default: true),
      scaleGradientsFastToSlow: config.float("scale_gradients_fast_to_slow", default: 1),
      generator: &generator)
    try config.finish()
    return core
  }

  static let rpth = ConformanceKind(name: "RPTH") { config, inputs in
    let x = try inputs.float("x", rank: 3)
    var generator = RandomGenerator(seed: 0)
    let core = try rpth(config, inputSize: x.shape[2], generator: &generator)
    return CaseModel(module: core) { inputs in
      let x = try inputs.float("x")
      let (output, state) = core.unroll(
        x, core.initialState(batchSize: x.shape[1]),
        noise: try inputs.requiredNoise(shape: [x.shape[0], x.shape[1], core.numDimensions]))
      return named(output).merging(named(state, prefix: "final")) { $1 }
    }
  }

  static let ftwNetwork = ConformanceKind(name: "FtwNetwork") { config, inputs in
    let observation = try inputs.float("observation", rank: 5)
    var generator = RandomGenerator(seed: 0)
    let numActions = try config.size("num_actions")
    let torso = try NetworkKinds.torso(
      config.nested("torso", default: "{}"), observationShape: Array(observation.shape.dropFirst(2)),
      generator: &generator)
    let embed = try OAREmbedding(torso: torso, numActions: [numActions])
    let core = try rpth(
      config.nested("rpth", default: #"{"period": 10}"#),
      inputSize: embed.outputSize,
      generator: &generator)
    let network = try FtwNetwork(
      embed: embed, core: core, numActions: numActions,
      headHiddenSize: config.size("head_hidden_size", default: 256),
      generator: &generator)
    try config.finish()
    return CaseModel(module: network) { inputs in
      let steps = Array(observation.shape.prefix(2))
      let trajectory = ObservationActionReward(
        observation: try inputs.float("observation"),
        action: try inputs.index("action", shape: steps, below: numActions),
        reward: try inputs.float("reward", shape: steps))
      let (output, state) = network.unroll(
        trajectory, network.initialState(batchSize: steps[1]),
        noise: try inputs.requiredNoise(shape: steps + [core.numDimensions]))
      return ["logits": output.logits, "values": output.value].merging(named(output.coreOutput)) { $1 }
        .merging(named(state, prefix: "final")) { $1 }
    }
  }
}
