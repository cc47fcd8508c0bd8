import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@testable import FTWAgent

@Suite struct CheckpointTests {
  @Test func resumingEqualsNeverStopping() throws {
    try withTemporaryFolder { folder in
      let store = CheckpointStore(url: folder)
      let uninterrupted = try makeLearner(seed: 11)
      let batches = (0..<4).map { makeBatch(uninterrupted, seed: 100 + UInt64($0)) }
      var actor = RandomGenerator(seed: 12)
      for (index, batch) in batches.enumerated() {
        _ = try uninterrupted.step(batch)
        if index == 1 {
          try uninterrupted.save(to: store, configuration: configuration, generators: ["actor": actor])
        }
        _ = actor.next()
      }
      // A new process: different initial weights, restored from the checkpoint after step 2.
      let resumed = try makeLearner(seed: 999)
      let generators = try resumed.restore(from: store.loadLatest(), configuration: configuration)
      #expect(resumed.stepCount == 2)
      #expect(generators["actor"] != nil)
      for batch in batches[2...] { _ = try resumed.step(batch) }
      let expected = uninterrupted.network.parameterValues()
      for (path, value) in resumed.network.parameterValues() {
        #expect(value.isIdentical(to: expected[path]!), "\(path) differs after resuming")
      }
      #expect(resumed.network.core.generator == uninterrupted.network.core.generator)
    }
  }

  @Test func aTruncatedOrDamagedCheckpointIsRefused() throws {
    try withTemporaryFolder { folder in
      let store = CheckpointStore(url: folder)
      let learner = try makeLearner(seed: 13)
      try learner.save(to: store, configuration: configuration)
      let file = folder.appendingPathComponent("step-000000000/state.safetensors")
      let data = try Data(contentsOf: file)
      try data.prefix(data.count / 2).write(to: file)
      #expect {
        try store.loadLatest()
      } throws: { error in
        "\(error)".contains("state.safetensors") && "\(error)".contains("truncated")
      }
      var damaged = data
      damaged[damaged.count - 5] ^= 0xFF
      try damaged.write(to: file)
      #expect {
        try store.loadLatest()
      } throws: { error in
        "\(error)".contains("checksum")
      }
      try Data("{".utf8).write(to: folder.appendingPathComponent("step-000000000/manifest.json"))
      #expect {
        try store.loadLatest()
      } throws: { error in
        "\(error)".contains("manifest.json") && "\(error)".contains("not a valid manifest")
      }
    }
  }

  @Test(arguments: [-1, Int.max, CheckpointStore.maximumCounter + 1])
  func aCounterOutOfRangeIsRefused(frames: Int) throws {
    try withTemporaryFolder { folder in
      let store = CheckpointStore(url: folder)
      try makeLearner(seed: 16).save(to: store, configuration: configuration, counters: ["frames": 1])
      let url = store.manifestURL(step: 0)
      var manifest = try JSONDecoder().decode(CheckpointManifest.self, from: Data(contentsOf: url))
      manifest.counters = ["frames": frames]
      try JSONEncoder().encode(manifest).write(to: url)
      #expect {
        try store.loadLatest()
      } throws: { error in
        "\(error)".contains("counter frames is \(frames)")
      }
    }
  }

  @Test func aSaveKilledHalfWayLeavesThePreviousCheckpoint() throws {
    try withTemporaryFolder { folder in
      let store = CheckpointStore(url: folder)
      let learner = try makeLearner(seed: 14)
      try learner.save(to: store, configuration: configuration)
      let saved = learner.network.parameterValues()
      _ = try learner.step(makeBatch(learner, seed: 15))
      // What a save killed at any point before publishing leaves: a half-written temporary folder,
      // or a complete folder for the new step that `latest` does not name yet.
      let partial = folder.appendingPathComponent(".step-000000001.4242.17.tmp")
      try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
      try Data([1, 2, 3]).write(to: partial.appendingPathComponent("state.safetensors"))
      try FileManager.default.copyItem(
        at: folder.appendingPathComponent("step-000000000"),
        to: folder.appendingPathComponent("step-000000001")
      )
      try Data([0]).write(to: folder.appendingPathComponent("step-000000001/state.safetensors"))
      let restored = try makeLearner(seed: 16)
      try restored.restore(from: store.loadLatest(), configuration: configuration)
      #expect(restored.stepCount == 0)
      for (path, value) in restored.network.parameterValues() { #expect(value.isIdentical(to: saved[path]!)) }
      // The next complete save replaces the leftovers and becomes the latest.
      try learner.save(to: store, configuration: configuration)
      #expect(try store.loadLatest().manifest.step == 1)
    }
  }

  /// A checkpoint of a build before a setting existed records no entry for it: it loads where the
  /// setting has its default, and only there.
  @Test func aSettingACheckpointPredatesStandsForItsDefault() throws {
    try withTemporaryFolder { folder in
      let store = CheckpointStore(url: folder)
      var current = TrainingConfiguration().checkpointEntries
      var older = current
      older["league"] = nil
      try makeLearner(seed: 17).save(to: store, configuration: older)
      try makeLearner(seed: 18).restore(from: store.loadLatest(), configuration: current)
      current["league"] = "\"curriculum\""
      #expect {
        try makeLearner(seed: 18).restore(from: store.loadLatest(), configuration: current)
      } throws: { error in
        "\(error)".contains("league: checkpoint \"even\", now \"curriculum\"")
      }
    }
  }

  @Test func aMismatchedCheckpointIsRefusedAndChangesNothing() throws {
    try withTemporaryFolder { folder in
      let store = CheckpointStore(url: folder)
      try makeLearner(seed: 17).save(to: store, configuration: configuration)
      let other = try makeLearner(seed: 18)
      let before = other.network.parameterValues()
      #expect {
        try other.restore(from: store.loadLatest(), configuration: ["network": "large", "actions": "3"])
      } throws: { error in
        "\(error)".contains("another configuration (network: checkpoint small-test, now large)")
      }
      var g = RandomGenerator(seed: 19)
      let wider = try FtwNetwork(
        embed: OAREmbedding(torso: other.network.embed.torso, numActions: [3]),
        core: RPTH(
          inputSize: 8 + 3 + 1, period: [2], options: VariationalUnitOptions(hiddenSize: 7, numDimensions: 4),
          generator: &g),
        numActions: 3,
        headHiddenSize: 8, generator: &g)
      let mismatched = FtwLearner(network: wider, hyperparameters: other.hyperparameters)
      #expect {
        try mismatched.restore(from: store.loadLatest(), configuration: configuration)
      } throws: { error in
        "\(error)".contains("has shape")
      }
      for (path, value) in other.network.parameterValues() { #expect(value.isIdentical(to: before[path]!)) }
    }
  }

  @Test func oldCheckpointsArePruned() throws {
    try withTemporaryFolder { folder in
      let store = CheckpointStore(url: folder, keep: 2)
      let learner = try makeLearner(seed: 20)
      let batch = makeBatch(learner, seed: 21)
      for _ in 0..<4 {
        try learner.save(to: store, configuration: configuration)
        _ = try learner.step(batch)
      }
      #expect(store.steps() == [2, 3])
      #expect(throws: CheckpointError.self) {
        try CheckpointStore(url: folder.appendingPathComponent("none")).loadLatest()
      }
    }
  }
}
