import FTWAgent
import Foundation

extension FuzzTarget {
  /// A run folder's configuration.json as `--resume` and `ftw eval` read it: one that loads
  /// checks out and survives being written and read again.
  static let runConfigurations = FuzzTarget(
    name: "run-configs", summary: "a run's configuration.json (--resume, ftw eval)"
  ) { data in
    ScratchFolder.write(data, to: configurationRun.appendingPathComponent("configuration.json"))
    guard let (_, configuration) = try? RunFolder.open(at: configurationRun) else { return }
    requireRoundTrip(configuration)
    _ = configuration.checkpointEntries
  }

  /// A population run's population.json beside a valid configuration.json.
  static let populationConfigurations = FuzzTarget(
    name: "population-configs", summary: "a population run's population.json (--resume)"
  ) { data in
    ScratchFolder.write(data, to: populationRun.appendingPathComponent("population.json"))
    guard let (_, _, population) = try? PopulationRun.open(at: populationRun) else { return }
    requireRoundTrip(population)
  }

  private static let configurationRun = ScratchFolder.make("run-config")

  private static let populationRun = ScratchFolder.populationRun("population-config", withPopulation: false)

  /// Stops the fuzzer unless `value` encodes to JSON that decodes to an equal value.
  private static func requireRoundTrip<Value: Codable & Equatable>(_ value: Value) {
    do {
      let again = try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(value))
      require(again == value, "\(Value.self) decodes to another value after encoding")
    } catch {
      fatalError("a \(Value.self) that loaded does not survive encoding: \(error)")
    }
  }
}
