import FTWAgent
import Foundation

/// A folder of this process's own under the temporary directory, for targets whose parser reads
/// files (a run folder, a checkpoint): made once, written over by every input, removed by the OS.
///
/// ```swift
/// let folder = ScratchFolder.make("checkpoint")   // /tmp/ftw-fuzz-<pid>/checkpoint
/// ```
enum ScratchFolder {
  static func make(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("ftw-fuzz-\(ProcessInfo.processInfo.processIdentifier)")
      .appendingPathComponent(name)
    try? FileManager.default.removeItem(at: url)
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      fatalError("cannot make the scratch folder \(url.path): \(error)")
    }
    return url
  }

  /// A scratch folder holding the default `configuration.json` and, unless the target writes its
  /// own, the default `population.json`: a population run `PopulationRun.open(at:)` opens.
  static func populationRun(_ name: String, withPopulation: Bool) -> URL {
    let url = make(name)
    do {
      write(
        try JSONEncoder().encode(TrainingConfiguration()),
        to: url.appendingPathComponent("configuration.json"))
      if withPopulation {
        write(
          try JSONEncoder().encode(PopulationConfiguration()),
          to: url.appendingPathComponent("population.json"))
      }
    } catch {
      fatalError("cannot encode the default configurations: \(error)")
    }
    return url
  }

  /// Writes `data` to `url`, stopping the fuzzer if it cannot (the disk is full).
  static func write(_ data: Data, to url: URL) {
    do {
      try data.write(to: url)
    } catch {
      fatalError("cannot write \(url.path): \(error)")
    }
  }
}
