import FTWAgent
import FTWTensor
import Foundation

extension FuzzTarget {
  /// A checkpoint's manifest.json beside its (valid) tensors, as `--resume` reads it: loaded,
  /// checked and restored into the learner of the run's configuration; every generator it names is
  /// read.
  static let checkpointManifests = FuzzTarget(
    name: "checkpoint-manifests", summary: "a checkpoint's manifest.json, loaded and restored (--resume)"
  ) { data in
    let checkpoints = CheckpointFixture.shared
    ScratchFolder.write(data, to: checkpoints.manifest)
    guard let checkpoint = try? checkpoints.store.load(step: 0) else { return }
    for name in checkpoint.manifest.generators.keys { _ = try? checkpoint.generator(name) }
    _ = try? checkpoints.learner.restore(
      from: checkpoint, configuration: TinyRun.configuration.checkpointEntries)
  }
}

/// A tiny learner's checkpoint at step 0, whose manifest every input replaces.
private struct CheckpointFixture: @unchecked Sendable {
  let store: CheckpointStore
  let learner: FtwLearner
  var manifest: URL { store.manifestURL(step: 0) }

  static let shared: CheckpointFixture = {
    let store = CheckpointStore(url: ScratchFolder.make("checkpoint"))
    do {
      let learner = try TinyRun.learner()
      try learner.save(
        to: store, configuration: TinyRun.configuration.checkpointEntries,
        generators: ["actor": RandomGenerator(seed: 2)],
        counters: ["frames": 100, "games": 1])
      return CheckpointFixture(store: store, learner: learner)
    } catch {
      fatalError("cannot save the tiny learner's checkpoint: \(error)")
    }
  }()
}
