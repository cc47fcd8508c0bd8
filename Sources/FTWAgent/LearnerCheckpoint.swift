import FTWLayers
import FTWNetworks
import FTWTensor
import Foundation

extension FtwLearner {
  /// The learner's whole state: the network's parameters (`policy/<path>`), the optimisers' slots
  /// (`optimizer/...`, `pixel_control_optimizer/...`, `reward_prediction_optimizer/...`), any
  /// `extraModules` (`<name>/<path>`), the hyperparameters, RPTH's noise generator, `generators`
  /// and `counters` (the manifest's, for the caller's own counts).
  public func save(
    to store: CheckpointStore, configuration: [String: String], extraModules: [String: Module] = [:],
    generators: [String: RandomGenerator] = [:], counters: [String: Int] = [:]
  ) throws {
    var tensors = network.parameterFile(prefix: "policy/")
    for (name, module) in extraModules {
      for (path, parameter) in module.namedParameters() { tensors.set("\(name)/\(path)", parameter.value) }
    }
    for (prefix, optimizer) in optimizers {
      for (key, value) in optimizer.state { tensors.set("\(prefix)/\(key)", value) }
    }
    tensors.set("learner/step", Tensor(Float(stepCount)))
    var words = generators.mapValues(Checkpoint.words)
    words["rpth_noise"] = Checkpoint.words(network.core.generator)
    try store.save(
      tensors: tensors, step: stepCount, configuration: configuration, generators: words,
      hyperparameters: Dictionary(uniqueKeysWithValues: hyperparameters.all.map { ($0.name, $0.values) }),
      counters: counters)
  }

  /// Restores everything ``save(to:configuration:extraModules:generators:counters:)`` wrote, after checking
  /// that it all fits; nothing changes if anything does not. Returns the extra generators.
  ///
  /// - Throws: ``CheckpointError`` for another configuration, a missing or misshapen tensor, or an
  ///   invalid hyperparameter value.
  @discardableResult
  public func restore(
    from checkpoint: Checkpoint, configuration: [String: String], extraModules: [String: Module] = [:]
  ) throws -> [String: RandomGenerator] {
    let fail = { (reason: String) in CheckpointError(file: checkpoint.tensors.name, reason: reason) }
    try checkConfiguration(of: checkpoint, against: configuration, fail: fail)
    // Check every piece before changing anything.
    let assignments: [(Parameter, Tensor)]
    do {
      assignments = try parameterValues(in: checkpoint, extraModules: extraModules)
    } catch {
      throw fail("\(error)")
    }
    let optimizerStates = try self.optimizerStates(in: checkpoint, fail: fail)
    guard let savedStep = try? checkpoint.tensors.tensor("learner/step"), savedStep.scalarCount == 1,
      let step = Int(exactly: savedStep.scalar), step >= 0
    else { throw fail("no valid learner/step") }
    var generators: [String: RandomGenerator] = [:]
    for name in checkpoint.manifest.generators.keys.sorted() {
      generators[name] = try checkpoint.generator(name)
    }
    guard let noise = generators.removeValue(forKey: "rpth_noise") else {
      throw fail("no state for generator 'rpth_noise'")
    }
    try apply(optimizerStates, hyperparameters: checkpoint.manifest.hyperparameters, fail: fail)
    // Everything fits: apply.
    for (parameter, value) in assignments { parameter.value = value }
    stepCount = step
    network.core.generator = noise
    return generators
  }

  /// Throws unless `checkpoint` was written for `configuration`, naming every difference. A key
  /// the checkpoint does not record (it predates the setting) stands for the setting's default.
  private func checkConfiguration(
    of checkpoint: Checkpoint, against configuration: [String: String], fail: (String) -> CheckpointError
  ) throws {
    var saved = checkpoint.manifest.configuration
    let defaults = TrainingConfiguration().checkpointEntries
    for key in configuration.keys where saved[key] == nil { saved[key] = defaults[key] }
    guard saved != configuration else { return }
    let keys = Set(configuration.keys).union(saved.keys).sorted().filter { configuration[$0] != saved[$0] }
    let differences = keys.map {
      "\($0): checkpoint \(saved[$0] ?? "none"), now \(configuration[$0] ?? "none")"
    }
    throw fail("was written for another configuration (\(differences.joined(separator: "; ")))")
  }

  /// Every parameter of the network (`policy/...`) and of `extraModules` with its saved value.
  private func parameterValues(in checkpoint: Checkpoint, extraModules: [String: Module]) throws
    -> [(Parameter, Tensor)]
  {
    var assignments: [(Parameter, Tensor)] = []
    for (prefix, module) in [("policy", network as Module)] + extraModules.map({ ($0.key, $0.value) }) {
      for (path, parameter) in module.namedParameters() {
        assignments.append(
          (parameter, try checkpoint.tensors.tensor("\(prefix)/\(path)", shape: parameter.shape)))
      }
    }
    return assignments
  }

  /// Each optimiser's saved slots; the main optimiser's must fit the network's trainable
  /// parameters.
  private func optimizerStates(in checkpoint: Checkpoint, fail: (String) -> CheckpointError) throws
    -> [(Optimizer, [String: Tensor])]
  {
    var optimizerStates: [(Optimizer, [String: Tensor])] = []
    for (prefix, optimizer) in optimizers {
      var state: [String: Tensor] = [:]
      for key in checkpoint.tensors.keys where key.hasPrefix(prefix + "/") {
        state[String(key.dropFirst(prefix.count + 1))] = try checkpoint.tensors.tensor(key)
      }
      optimizerStates.append((optimizer, state))
    }
    let trainable = Dictionary(
      uniqueKeysWithValues: network.trainableParameters().map { ($0.path, $0.parameter.shape) })
    for (key, value) in optimizerStates[0].1.sorted(by: { $0.key < $1.key }) {
      let path = String(key[..<(key.lastIndex(of: "/") ?? key.endIndex)])
      guard trainable[path] == value.shape else {
        throw fail("optimizer slot \(key) does not fit the network")
      }
    }
    return optimizerStates
  }

  /// Loads the optimisers' states and the hyperparameters' values, with a way back to what they
  /// were if one refuses its values.
  private func apply(
    _ optimizerStates: [(Optimizer, [String: Tensor])], hyperparameters saved: [String: [Float]],
    fail: (String) -> CheckpointError
  ) throws {
    let previousStates = optimizers.map { $0.1.state }
    do {
      for (optimizer, state) in optimizerStates { try optimizer.load(state: state) }
    } catch {
      for ((_, optimizer), state) in zip(optimizers, previousStates) { try? optimizer.load(state: state) }
      throw fail("\(error)")
    }
    let previous = hyperparameters.all.map { ($0, $0.values) }
    do {
      for hyperparameter in hyperparameters.all {
        guard let values = saved[hyperparameter.name] else {
          throw fail("no value for hyperparameter '\(hyperparameter.name)'")
        }
        try hyperparameter.setValues(values)
      }
    } catch {
      for (hyperparameter, values) in previous { try? hyperparameter.setValues(values) }
      for ((_, optimizer), state) in zip(optimizers, previousStates) { try? optimizer.load(state: state) }
      throw error as? CheckpointError ?? fail("\(error)")
    }
  }

  /// The optimisers by checkpoint prefix.
  var optimizers: [(String, Optimizer)] {
    [
      ("optimizer", optimizer), ("pixel_control_optimizer", pixelControlOptimizer),
      ("reward_prediction_optimizer", rewardPredictionOptimizer),
    ]
  }
}
