import FTWAgent
import FTWLayers
import FTWNetworks
import FTWTensor

/// The learner's math: losses, gradient clipping and optimisers. Scalars are stored as `[1]`.
enum TrainingKinds {
  static let all: [ConformanceKind] = [
    impalaLoss, rpthKLLoss, pixelControlLoss, rewardPredictionLoss, clipByGlobalNorm, rmsProp, adam,
  ]

  /// A scalar as the fixtures store it, `[1]`.
  static func stored(_ scalar: Tensor) -> Tensor { scalar.reshaped(to: [1]) }

  static let impalaLoss = ConformanceKind(name: "IMPALALoss") { config, _ in
    let loss = ImpalaLoss(
      discount: try config.float("discount", default: 0.99),
      baselineCost: try config.float("baseline_cost", default: 0.5),
      entropyCost: try config.float("entropy_cost", default: 0),
      maxAbsReward: try config.optionalFloat("max_abs_reward", atLeast: 0))
    try config.finish()
    return CaseModel(module: Module(name: "impala_loss")) { inputs in
      let output = loss(
        logits: try inputs.float("logits", rank: 3), values: try inputs.float("values", rank: 2),
        behaviourLogits: try inputs.float("behaviour_logits", rank: 3), actions: try inputs.index("actions"),
        rewards: try inputs.float("rewards", rank: 2), discounts: try inputs.float("discounts", rank: 2))
      return [
        "loss": stored(output.loss), "critic_loss": stored(output.criticLoss),
        "policy_gradient_loss": stored(output.policyGradientLoss), "entropy_loss": stored(output.entropyLoss),
        "vs": output.vtrace.vs, "pg_advantages": output.vtrace.pgAdvantages,
      ]
    }
  }

  static let rpthKLLoss = ConformanceKind(name: "RPTHKLLoss") { config, _ in
    let loss = RPTHKLLoss(
      period: Float(try config.int("period")),
      priorFixedCost: try config.float("kld_prior_fixed_cost", default: 1e-4),
      priorPosteriorCost: try config.float("kld_prior_posterior_cost", default: 1e-3))
    try config.finish()
    return CaseModel(module: Module(name: "rpth_kl_loss")) { inputs in
      let prior = LocScaleDistributionParameters(
        loc: try inputs.float("prior_loc", rank: 3), scale: try inputs.float("prior_scale", rank: 3))
      let posterior = LocScaleDistributionParameters(
        loc: try inputs.float("posterior_loc", rank: 3), scale: try inputs.float("posterior_scale", rank: 3))
      let (fixed, priorPosterior) = loss(
        prior: prior, posterior: posterior, step: try inputs.float("step", rank: 1))
      return ["kld_prior_fixed_loss": stored(fixed), "kld_prior_posterior_loss": stored(priorPosterior)]
    }
  }

  static let pixelControlLoss = ConformanceKind(name: "PixelControlLoss") { config, _ in
    func range(_ key: String) throws -> Range<Int> {
      guard let bounds = try config.intList(key) else { return 2..<82 }
      guard bounds.count == 2, bounds[0] >= 0, bounds[0] < bounds[1] else {
        throw ConformanceError.badConfig("\(key) must be [low, high) with 0 <= low < high, got \(bounds)")
      }
      return bounds[0]..<bounds[1]
    }
    let loss = PixelControlLoss(
      cellSize: try config.size("cell_size", default: 4),
      discount: try config.float("discount", default: 0.9),
      scale: try config.float("scale", default: 1), cropHeight: try range("crop_height"),
      cropWidth: try range("crop_width"))
    try config.finish()
    return CaseModel(module: Module(name: "pixel_control_loss")) { inputs in
      let observations = try inputs.float("observations", rank: 5)
      guard
        loss.cropHeight.upperBound <= observations.shape[2]
          && loss.cropWidth.upperBound <= observations.shape[3]
          && loss.cropHeight.count % loss.cellSize == 0 && loss.cropWidth.count % loss.cellSize == 0
      else {
        let (height, width) = (observations.shape[2], observations.shape[3])
        throw ConformanceError.badConfig(
          "crop_height \(loss.cropHeight) and crop_width \(loss.cropWidth) must lie within the \(height)x\(width) observations and hold whole cells of cell_size \(loss.cellSize)"
        )
      }
      let (actions, actionValues) = (try inputs.index("actions"), try inputs.float("action_values", rank: 5))
      let (frames, batch) = (observations.shape[0], observations.shape[1])
      let cells = [loss.cropHeight.count / loss.cellSize, loss.cropWidth.count / loss.cellSize]
      guard frames > 1, actions.shape == [frames - 1, batch],
        Array(actionValues.shape.prefix(4)) == [frames, batch] + cells
      else {
        throw ConformanceError.badConfig(
          "cell_size \(loss.cellSize) makes \(cells[0])x\(cells[1]) cells: actions must be [\(frames - 1), \(batch)] and action_values [\(frames), \(batch), \(cells[0]), \(cells[1]), A], got \(actions.shape) and \(actionValues.shape)"
        )
      }
      let (perRow, pseudoRewards) = loss(
        observations: observations, actions: actions, actionValues: actionValues)
      return ["loss": perRow, "pseudo_rewards": pseudoRewards]
    }
  }

  static let rewardPredictionLoss = ConformanceKind(name: "RewardPredictionLoss") { config, _ in
    try config.finish()
    return CaseModel(module: Module(name: "reward_prediction_loss")) { inputs in
      let (loss, labels) = RewardPredictionLoss()(
        logits: try inputs.float("logits", rank: 2), rewards: try inputs.float("rewards", rank: 1))
      return [
        "loss": stored(loss), "labels": Tensor(shape: labels.shape, scalars: labels.scalars.map(Float.init)),
      ]
    }
  }

  static let clipByGlobalNorm = ConformanceKind(name: "ClipByGlobalNorm") { config, _ in
    let count = try config.count("count")
    let maxNorm = try config.float("max_norm", default: 1)
    try config.finish()
    guard maxNorm > 0 else { throw ConformanceError.badConfig("max_norm must be positive, got \(maxNorm)") }
    return CaseModel(module: Module(name: "clip_by_global_norm")) { inputs in
      let (clipped, norm) = FTWLayers.clipByGlobalNorm(
        try (0..<count).map { try inputs.float("g/\($0)") }, maxNorm: maxNorm)
      var outputs = ["global_norm": stored(norm)]
      for (index, tensor) in clipped.enumerated() { outputs["clipped/\(index)"] = tensor }
      return outputs
    }
  }

  /// Applies `optimizer` `steps` times to parameters `param/i` with gradients `grad/k/i`, reporting
  /// each parameter after each step as `param_after/k/i`.
  static func optimizerCase(_ config: CaseConfig, _ optimizer: Optimizer) throws -> CaseModel {
    let (count, steps) = (try config.count("num_params"), try config.count("steps"))
    try config.finish()
    let holder = Module(name: "parameters")
    return CaseModel(module: holder) { inputs in
      let parameters = try (0..<count).map { Parameter(try inputs.float("param/\($0)").stoppingGradient()) }
      for (index, parameter) in parameters.enumerated() { holder.register(parameter, as: "\(index)") }
      var outputs: [String: Tensor] = [:]
      for step in 0..<steps {
        let gradients = Dictionary(
          uniqueKeysWithValues: try (0..<count).map { ("\($0)", try inputs.float("grad/\(step)/\($0)")) })
        try optimizer.apply(gradients, to: holder)
        for (index, parameter) in parameters.enumerated() {
          outputs["param_after/\(step)/\(index)"] = parameter.value
        }
      }
      return outputs
    }
  }

  static let rmsProp = ConformanceKind(name: "RMSProp") { config, _ in
    try optimizerCase(
      config,
      RMSProp(
        learningRate: try config.float("learning_rate", default: 0.001),
        decay: try config.float("decay", default: 0.9),
        momentum: try config.float("momentum", default: 0),
        epsilon: try config.float("epsilon", default: 1e-10),
        centered: try config.bool("centered", default: false)))
  }

  static let adam = ConformanceKind(name: "Adam") { config, _ in
    try optimizerCase(
      config,
      Adam(
        learningRate: try config.float("learning_rate", default: 0.001),
        beta1: try config.float("beta1", default: 0.9),
        beta2: try config.float("beta2", default: 0.999), epsilon: try config.float("epsilon", default: 1e-8))
    )
  }
}
