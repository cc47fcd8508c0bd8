import FTWLayers
import FTWNetworks
import FTWTensor

/// The feed-forward FTW modules: torso, heads, distributions, embedding and the auxiliary tasks.
enum NetworkKinds {
  static let all: [ConformanceKind] = [
    ftwTorso, policyValueHead, locScaleHead, diagonalHead, klDivergence, oarEmbedding, pixelControl,
    rewardPrediction, rewardPredictionNetwork, rnnPixelControlNetwork,
  ]

  /// An ``FtwTorso`` for observations of `observationShape` from a `torso` config (absent keys: defaults).
  static func torso(_ config: CaseConfig, observationShape: [Int], generator: inout RandomGenerator) throws
    -> FtwTorso
  {
    func filters(_ key: String, _ fallback: [ConvFilter]) throws -> [ConvFilter] {
      try config.sizeRows(key, width: 3)?.map { ConvFilter($0[0], $0[1], $0[2]) } ?? fallback
    }
    let torso = try FtwTorso(
      observationShape: observationShape,
      convFilters: filters("conv_filters", [ConvFilter(32, 8, 4), ConvFilter(64, 4, 2)]),
      residualFilters: filters("residual_filters", [ConvFilter(64, 3, 1), ConvFilter(64, 3, 1)]),
      hiddenSize: config.size("hidden_size", default: 256),
      activation: config.choice("activation", default: Activation.relu),
      activateLast: config.bool("activate_last", default: false), generator: &generator)
    try config.finish()
    return torso
  }

  static let ftwTorso = ConformanceKind(name: "FtwTorso") { config, inputs in
    let observation = try inputs.float("observation", rank: 4)
    var generator = RandomGenerator(seed: 0)
    let torso = try torso(
      config, observationShape: Array(observation.shape.dropFirst()), generator: &generator)
    return CaseModel(module: torso) { inputs in ["embedding": torso(try inputs.float("observation"))] }
  }

  static let policyValueHead = ConformanceKind(name: "PolicyValueHead") { config, inputs in
    let x = try inputs.float("x", rank: 2)
    var generator = RandomGenerator(seed: 0)
    let head = try PolicyValueHead(
      inputSize: x.shape[1], numActions: config.size("num_actions"),
      hiddenSize: config.size("hidden_size", default: 256),
      activation: config.choice("activation", default: Activation.relu), generator: &generator)
    try config.finish()
    return CaseModel(module: head) { inputs in
      let (logits, value) = head(try inputs.float("x"))
      return ["logits": logits, "value": value]
    }
  }

  /// The loc-scale head arguments shared by the distribution heads and the variational units.
  struct HeadOptions {
    var initScale: Float
    var minScale: Float
    var tanhMean: Bool
    var fixedScale: Bool

    init(_ config: CaseConfig, defaultInitScale: Float) throws {
      initScale = try config.float("init_scale", default: defaultInitScale)
      minScale = try config.float("min_scale", default: 1e-6)
      tanhMean = try config.bool("tanh_mean", default: false)
      fixedScale = try config.bool("fixed_scale", default: false)
    }
  }

  static let locScaleHead = ConformanceKind(name: "MultivariateNormalDiagLocScaleHead") { config, inputs in
    let x = try inputs.float("x", rank: 2)
    var generator = RandomGenerator(seed: 0)
    let options = try HeadOptions(config, defaultInitScale: 0.3)
    let head = try MultivariateNormalDiagLocScaleHead(
      inputSize: x.shape[1], numDimensions: config.size("num_dimensions"), initScale: options.initScale,
      minScale: options.minScale, tanhMean: options.tanhMean, fixedScale: options.fixedScale,
      generator: &generator)
    try config.finish()
    return CaseModel(module: head) { inputs in
      let parameters = head(try inputs.float("x"))
      return ["loc": parameters.loc, "scale": parameters.scale]
    }
  }

  static let diagonalHead = ConformanceKind(name: "MultivariateNormalDiagHead") { config, inputs in
    let x = try inputs.float("x", rank: 2)
    var generator = RandomGenerator(seed: 0)
    let options = try HeadOptions(config, defaultInitScale: 0.3)
    let head = try MultivariateNormalDiagHead(
      inputSize: x.shape[1], numDimensions: config.size("num_dimensions"), initScale: options.initScale,
      minScale: options.minScale, tanhMean: options.tanhMean, fixedScale: options.fixedScale,
      useTfdIndependent: config.bool("use_tfd_independent", default: false), generator: &generator)
    try config.finish()
    return CaseModel(module: head) { inputs in
      let distribution = head(try inputs.float("x"))
      return [
        "mean": distribution.mean, "stddev": distribution.standardDeviation,
        "log_prob": distribution.logProbability(
          of: try inputs.float("value", shape: distribution.mean.shape)),
        "entropy": distribution.entropy(),
      ]
    }
  }

  static let klDivergence = ConformanceKind(name: "KLDivergenceMVNDiag") { config, _ in
    _ = try config.size("num_dimensions")
    try config.finish()
    return CaseModel(module: Module(name: "kl_divergence")) { inputs in
      let shape = try inputs.float("loc_p").shape
      guard !shape.isEmpty else { throw ConformanceError.badCase("loc_p must be [..., D], got a scalar") }
      let p = MultivariateNormalDiag(
        loc: try inputs.float("loc_p"), scale: try inputs.float("scale_p", shape: shape))
      let q = MultivariateNormalDiag(
        loc: try inputs.float("loc_q", shape: shape), scale: try inputs.float("scale_q", shape: shape))
      return ["kl": p.klDivergence(to: q)]
    }
  }

  /// `action`, or `action/0`, `action/1`, ... for a multi-discrete action space of
  /// `numActions`, each of `shape`.
  static func actions(_ inputs: CaseInputs, numActions: [Int], shape: [Int]) throws -> [IndexTensor] {
    numActions.count == 1 && inputs.indices["action"] != nil
      ? [try inputs.index("action", shape: shape, below: numActions[0])]
      : try numActions.enumerated().map { try inputs.index("action/\($0)", shape: shape, below: $1) }
  }

  static let oarEmbedding = ConformanceKind(name: "OAREmbedding") { config, inputs in
    let observation = try inputs.float("observation", rank: 4)
    var generator = RandomGenerator(seed: 0)
    let numActions = try config.sizeList("num_actions") ?? []
    let rewardKind = try config.string("reward", default: "scalar")
    let reward = try inputs.float("reward")
    let batch = observation.shape[0]
    let rewardSize: Int
    switch rewardKind {
    case "scalar":
      guard reward.shape == [batch] else {
        throw ConformanceError.badCase("a scalar reward must be [B] = [\(batch)], got \(reward.shape)")
      }
      rewardSize = 1
    case "events":
      guard reward.rank == 2, reward.shape[0] == batch else {
        throw ConformanceError.badCase("event rewards must be [B, E] with B = \(batch), got \(reward.shape)")
      }
      rewardSize = reward.shape[1]
    default:
      throw ConformanceError.badConfig("reward must be 'scalar' or 'events', got \"\(rewardKind)\"")
    }
    var internalRewards: InternalRewards?
    if let rewardsConfig = try config.nested("internal_rewards") {
      internalRewards = try InternalRewards(
        numEvents: rewardsConfig.size("num_events"),
        initialValue: .exact(rewardsConfig.float("init_value", default: 1)),
        generator: &generator)
      try rewardsConfig.finish()
    }
    let embedding = try OAREmbedding(
      torso: torso(
        config.nested("torso", default: "{}"), observationShape: Array(observation.shape.dropFirst()),
        generator: &generator),
      numActions: numActions, internalRewards: internalRewards, rewardSize: rewardSize)
    try config.finish()
    return CaseModel(module: embedding) { inputs in
      let step = ObservationActionReward(
        observation: try inputs.float("observation"),
        actions: try actions(inputs, numActions: numActions, shape: [batch]),
        reward: try inputs.float("reward"))
      return ["embedding": embedding(step)]
    }
  }

  static let pixelControl = ConformanceKind(name: "PixelControl") { config, inputs in
    let x = try inputs.float("x", rank: 2)
    var generator = RandomGenerator(seed: 0)
    let head = try PixelControl(
      inputSize: x.shape[1], numActions: config.size("num_actions"),
      activation: config.choice("activation", default: Activation.relu), generator: &generator)
    try config.finish()
    return CaseModel(module: head) { inputs in ["q": head(try inputs.float("x"))] }
  }

  static let rewardPrediction = ConformanceKind(name: "RewardPrediction") { config, inputs in
    let x = try inputs.float("x", rank: 2)
    var generator = RandomGenerator(seed: 0)
    let head = try RewardPrediction(
      inputSize: x.shape[1], hiddenSize: config.size("hidden_size", default: 128),
      activation: config.choice("activation", default: Activation.relu), generator: &generator)
    try config.finish()
    return CaseModel(module: head) { inputs in ["logits": head(try inputs.float("x"))] }
  }

  static let rewardPredictionNetwork = ConformanceKind(name: "RewardPredictionNetwork") { config, inputs in
    let observation = try inputs.float("observation", rank: 5)
    var generator = RandomGenerator(seed: 0)
    let network = try RewardPredictionNetwork(
      embed: torso(
        config.nested("torso", default: "{}"), observationShape: Array(observation.shape.dropFirst(2)),
        generator: &generator
      ),
      sequenceLength: observation.shape[1], hiddenSize: config.size("hidden_size", default: 128),
      activation: config.choice("activation", default: Activation.relu), generator: &generator)
    try config.finish()
    return CaseModel(module: network) { inputs in ["logits": network(try inputs.float("observation"))] }
  }

  static let rnnPixelControlNetwork = ConformanceKind(name: "RNNPixelControlNetwork") { config, inputs in
    let observation = try inputs.float("observation", rank: 5)
    var generator = RandomGenerator(seed: 0)
    let torso = try torso(
      config.nested("torso", default: "{}"), observationShape: Array(observation.shape.dropFirst(2)),
      generator: &generator)
    guard let coreConfig = try config.nested("core") else {
      throw ConformanceError.badConfig("core must be {lstm_hidden_size}")
    }
    let lstm = try LSTM(
      inputSize: torso.hiddenSize, hiddenSize: coreConfig.size("lstm_hidden_size"), generator: &generator)
    try coreConfig.finish()
    let network = try RNNPixelControlNetwork(
      embed: torso, core: lstm, numActions: config.size("num_actions"),
      activation: config.choice("activation", default: Activation.relu), generator: &generator)
    try config.finish()
    return CaseModel(module: network) { inputs in
      let observations = try inputs.float("observation")
      return ["q": network.unroll(observations, network.initialState(batchSize: observations.shape[1])).q]
    }
  }
}
