import FTWLayers
import FTWTensor
import Foundation

extension Agent {
  /// The agent saved in a run: `path` is a run folder (its newest checkpoint that loads; a
  /// population member's folder `<run>/members/<i>` is one) or one of its checkpoint folders
  /// (`<run>/checkpoints/step-…`). Returns the agent, its learner step,
  /// and the checkpoints refused (damaged) on the way.
  public static func load(from path: URL) throws -> (agent: Agent, step: Int, refused: [CheckpointError]) {
    let isCheckpoint = path.lastPathComponent.hasPrefix("step-")
    let runURL = isCheckpoint ? path.deletingLastPathComponent().deletingLastPathComponent() : path
    let (run, configuration) = try RunFolder.open(at: runURL)
    let checkpoint: Checkpoint
    var refused: [CheckpointError] = []
    if isCheckpoint {
      guard let step = Int(path.lastPathComponent.dropFirst(5)) else {
        throw TrainingError("\(path.path) is not a checkpoint folder (step-<number>)")
      }
      checkpoint = try run.checkpoints.load(step: step)
    } else {
      (checkpoint, refused) = try run.checkpoints.loadNewestValid()
    }
    var generator = RandomGenerator(seed: configuration.seeds.seed(for: .member(0)))
    let agent = try Agent(configuration: configuration, generator: &generator)
    var values: [(Parameter, Tensor)] = []
    for (name, parameter) in agent.network.namedParameters() {
      do {
        values.append((parameter, try checkpoint.tensors.tensor("policy/\(name)", shape: parameter.shape)))
      } catch {
        throw CheckpointError(file: checkpoint.tensors.name, reason: "\(error)")
      }
    }
    // A population member's slow core runs at its evolved period.
    if let period = checkpoint.manifest.hyperparameters["slow_core_period"], period.count == 1 {
      for core in agent.network.core.slowCores {
        do {
          try core.setPeriod(period[0])
        } catch {
          throw CheckpointError(file: checkpoint.tensors.name, reason: "slow_core_period: \(error)")
        }
      }
    }
    for (parameter, value) in values { parameter.value = value }
    return (agent, checkpoint.manifest.step, refused)
  }
}
