import FTWAgentTestSupport
import FTWEnvironments
import FTWTestSupport
import Foundation
import Testing

@testable import FTWAgent

/// `configuration.json` is written in parts; the flat layout of the builds before them still reads,
/// and their checkpoints still load.
@Suite struct ConfigurationLayoutTests {
  /// The fixture's files, written by the build before the parts (`ftw train --deterministic
  /// --seed 7 --frames 4000 --network small --internal-rewards i_captured=2`).
  private func fixture(_ name: String) throws -> Data {
    let url = try #require(
      Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures/flat-run"))
    return try Data(contentsOf: url)
  }

  @Test func aFlatConfigurationReadsIntoItsParts() throws {
    let configuration = try JSONDecoder().decode(
      TrainingConfiguration.self, from: try fixture("configuration"))
    var expected = TrainingConfiguration()
    expected.network = .init(preset: .small)
    // The opponent and the internal rewards were the defaults then, but i_captured.
    expected.world.opponent = .random
    expected.learning.internalRewards = [
      2, 0.5, 0.2, 0.05, 0.2, -0.05, -0.2, 0.5, 0.2, 0.1, -0.5, -0.2, -0.1, 1, -1,
    ]
    (expected.run.seed, expected.run.deterministic) = (7, true)
    #expect(configuration == expected)
  }

  /// A checkpoint records the configuration flat, as the builds before the parts did: one of theirs
  /// matches the same configuration read back, but for the settings added since (the league's
  /// weighting), which stand at their defaults.
  @Test func aCheckpointOfTheFlatLayoutMatchesItsConfiguration() throws {
    let configuration = try JSONDecoder().decode(
      TrainingConfiguration.self, from: try fixture("configuration"))
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: try fixture("manifest")) as? [String: Any])
    let recorded = try #require(manifest["configuration"] as? [String: String])
    #expect(recorded.count == 36)
    let entries = configuration.checkpointEntries
    #expect(Set(entries.keys).subtracting(recorded.keys) == ["league"])
    #expect(entries.filter { recorded[$0.key] != nil } == recorded)
    #expect(entries["league"] == TrainingConfiguration().checkpointEntries["league"])
  }

  @Test func aConfigurationRoundTripsInParts() throws {
    var configuration = tinyConfiguration()
    configuration.network = .init(preset: .small)
    configuration.world.view = .firstPerson
    let data = try JSONEncoder().encode(configuration)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(Set(object.keys) == ["world", "network", "learning", "auxiliary", "acting", "run"])
    #expect(try JSONDecoder().decode(TrainingConfiguration.self, from: data) == configuration)
  }

  /// A run folder whose `configuration.json` is in the flat layout resumes and trains on.
  @Test func aRunFolderInTheFlatLayoutResumes() throws {
    let configuration = tinyConfiguration()
    try withTemporaryFolder { folder in
      let url = folder.appendingPathComponent("run")
      let first = try newTrainer(configuration, at: url)
      try first.train(budget: TrainingBudget(frames: 200), stop: StopSignal()) { _ in }
      let file = url.appendingPathComponent("configuration.json")
      try flattened(try Data(contentsOf: file)).write(to: file)
      let (reopened, saved) = try RunFolder.open(at: url)
      #expect(saved == configuration)
      let resumed = try Trainer(configuration: saved, run: reopened, resume: true)
      #expect(resumed.learner.stepCount == first.learner.stepCount && resumed.frames == 200)
      try resumed.train(budget: TrainingBudget(frames: 400), stop: StopSignal()) { _ in }
      #expect(reopened.metrics().map(\.frames) == [100, 200, 300, 400])
    }
  }

  /// `parts` in the flat layout: every part's keys side by side, the preset's name under `network`.
  private func flattened(_ parts: Data) throws -> Data {
    let object = try #require(try JSONSerialization.jsonObject(with: parts) as? [String: [String: Any]])
    var flat: [String: Any] = [:]
    for (part, fields) in object {
      for (key, value) in fields { flat[part == "network" && key == "preset" ? "network" : key] = value }
    }
    #expect(flat.count == 37)
    return try JSONSerialization.data(withJSONObject: flat)
  }
}
