import FTWAgent
import FTWAgentTestSupport
import FTWEnvironments
import Foundation
import Testing

/// A damaged configuration file is refused with a message that names the key and what it may hold.
@Suite struct ConfigurationFieldTests {
  /// A run folder in a temporary directory whose `configuration.json` has `key` of `part` set to
  /// `value` (`population.json`'s `key` for a population).
  private func runFolder(_ part: String = "", with key: String, _ value: Any, population: Bool = false) throws
    -> URL
  {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ftw-config-\(UUID().uuidString)")
    let file = url.appendingPathComponent(population ? "population.json" : "configuration.json")
    if population {
      _ = try PopulationRun.create(
        at: url, configuration: tinyConfiguration(), population: tinyPopulation(size: 2))
    } else {
      _ = try RunFolder.create(at: url, configuration: tinyConfiguration())
    }
    var object = try #require(
      try JSONSerialization.jsonObject(with: try Data(contentsOf: file)) as? [String: Any])
    if population {
      object[key] = value
    } else {
      var fields = try #require(object[part] as? [String: Any], "no part \(part)")
      fields[key] = value
      object[part] = fields
    }
    try JSONSerialization.data(withJSONObject: object).write(to: file)
    return url
  }

  private func refusal(of url: URL, population: Bool = false) -> String {
    do {
      if population { _ = try PopulationRun.open(at: url) } else { _ = try RunFolder.open(at: url) }
      return "opened"
    } catch {
      return "\(error)"
    }
  }

  @Test func aNegativeSeedIsRefusedByName() throws {
    let url = try runFolder("run", with: "seed", -1)
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(refusal(of: url).hasSuffix("\"seed\" must be a whole number from 0 to 18446744073709551615"))
  }

  @Test func anUnknownOpponentIsRefusedWithTheChoices() throws {
    let url = try runFolder("world", with: "opponent", "robots")
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(
      refusal(of: url).hasSuffix(
        "\"opponent\" must be one of random, scripted, bots, snapshots, mixed, league"))
  }

  @Test func aWrongKindOfValueIsRefusedByName() throws {
    for (part, key, value, expected) in [
      ("world", "teamSize", "two" as Any, "a whole number"), ("learning", "learningRate", true, "a number"),
      ("run", "deterministic", "yes", "true or false"),
      ("network", "torsoChannels", [1.5], "a list of whole numbers"),
      ("learning", "precision", "fp16", "one of auto, bf16, fp32"),
      ("network", "preset", "huge", "one of ftw, small"),
      ("world", "view", "sideways", "one of topDown, firstPerson"),
    ] {
      let url = try runFolder(part, with: key, value)
      defer { try? FileManager.default.removeItem(at: url) }
      #expect(refusal(of: url).hasSuffix("\"\(key)\" must be \(expected)"), "\(key)")
    }
  }

  @Test func aPopulationWithoutItsSizeIsRefusedByName() throws {
    let url = try runFolder(with: "size", NSNull(), population: true)
    defer { try? FileManager.default.removeItem(at: url) }
    #expect(refusal(of: url, population: true).hasSuffix("\"size\" is missing: it must be a whole number"))
    let wrong = try runFolder(with: "eloK", "high", population: true)
    defer { try? FileManager.default.removeItem(at: wrong) }
    #expect(refusal(of: wrong, population: true).hasSuffix("\"eloK\" must be a number"))
  }

  @Test func presetsSetTheNetworksSizes() {
    let small = TrainingConfiguration.Network(preset: .small)
    #expect(small.preset == .small && small.torsoChannels == [16, 32] && small.torsoResidualChannels == [32])
    #expect(small.coreHiddenSize == 128 && small.latentSize == 64 && small.headHiddenSize == 128)
    #expect(TrainingConfiguration.Network(preset: .ftw) == TrainingConfiguration().network)
  }

  @Test func internalRewardsChangeByEventName() throws {
    var configuration = TrainingConfiguration()
    try configuration.changeInternalRewards("i_captured=2,i_was_tagged=-0.5")
    #expect(configuration.learning.internalRewards[GameEvent.names.firstIndex(of: "i_captured")!] == 2)
    #expect(configuration.learning.internalRewards[GameEvent.names.firstIndex(of: "i_was_tagged")!] == -0.5)
    for bad in ["i_captured", "nothing=1", "i_captured=x"] {
      #expect(throws: TrainingError.self) { try configuration.changeInternalRewards(bad) }
    }
  }
}
