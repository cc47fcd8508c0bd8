import FTWLayers
import Foundation

/// Where a population stands between sessions: every member's record, the ratings and the counts.
/// Saved as `population-state.json` at every checkpoint, after the members' checkpoints.
public struct PopulationState: Codable, Sendable, Equatable {
  /// One record per member.
  public var members: [MemberRecord]
  /// The members' Elo ratings.
  public var elo: EloRatings
  /// Frames trained on by all members.
  public var frames = 0
  /// Games played.
  public var games = 0
  /// Exploits so far.
  public var evolutions = 0
  /// Seconds of training.
  public var wallSeconds = 0.0
}

/// One exploit and explore: who copied whom, their ratings, and the values before and after.
/// A line of `evolutions.jsonl`.
public struct EvolutionEvent: Codable, Sendable, Equatable {
  public var wallSeconds: Double
  /// The population's frames when it happened.
  public var frames: Int
  /// The member that changed and the one it copied.
  public var member: Int
  public var donor: Int
  public var memberRating: Double
  public var donorRating: Double
  /// The predicted probability that the donor beats the member.
  public var donorWinProbability: Double
  /// The member's generation after the change.
  public var generation: Int
  public var before: EvolvedValues
  public var after: EvolvedValues
}

/// A population run's folder: `configuration.json` (the members' training configuration),
/// `population.json` (the population's), `population-state.json`, `evolutions.jsonl`,
/// `ratings.csv`, `values.csv` (both also in TensorBoard's `events.out.tfevents.ftw`), the charts
/// `ratings.svg` and `evolved-values.svg`, and one run
/// folder per member under `members/` (its checkpoints and metrics; `ftw eval --checkpoint`
/// takes one).
///
/// ```swift
/// let run = try PopulationRun.create(at: url, configuration: configuration, population: population)
/// let (same, configuration, population) = try PopulationRun.open(at: url)
/// ```
public struct PopulationRun: Sendable {
  /// The folder.
  public let url: URL

  public var configurationURL: URL { url.appendingPathComponent("configuration.json") }
  public var populationURL: URL { url.appendingPathComponent("population.json") }
  public var stateURL: URL { url.appendingPathComponent("population-state.json") }
  public var evolutionsURL: URL { url.appendingPathComponent("evolutions.jsonl") }
  public var ratingsURL: URL { url.appendingPathComponent("ratings.csv") }
  public var valuesURL: URL { url.appendingPathComponent("values.csv") }
  public var ratingsChartURL: URL { url.appendingPathComponent("ratings.svg") }
  public var valuesChartURL: URL { url.appendingPathComponent("evolved-values.svg") }
  /// The population's TensorBoard event file: the ratings and every member's evolved values.
  public var tensorBoard: TensorBoardLog { TensorBoardLog(folder: url) }

  /// Member `index`'s run folder.
  public func member(_ index: Int) -> RunFolder {
    RunFolder(url: url.appendingPathComponent("members/\(index)"))
  }

  /// Whether `url` holds a population run.
  public static func isPopulation(at url: URL) -> Bool {
    FileManager.default.fileExists(atPath: url.appendingPathComponent("population.json").path)
  }

  /// Creates a new population run; refuses a folder that already holds a run.
  public static func create(
    at url: URL, configuration: TrainingConfiguration, population: PopulationConfiguration
  ) throws -> PopulationRun {
    let run = PopulationRun(url: url)
    _ = try RunFolder.createHoldingConfiguration(at: url, configuration: configuration)
    try AtomicFile.write(try Self.encoder.encode(population), to: run.populationURL)
    for index in 0..<population.size {
      _ = try RunFolder.create(at: run.member(index).url, configuration: configuration)
    }
    let ratingColumns = (0..<population.size).map { "rating_\($0)" }
    try AtomicFile.write(
      Data(
        (["wall_seconds", "frames", "frames_per_second", "games", "evolutions"] + ratingColumns)
          .joined(separator: ",").appending("\n").utf8),
      to: run.ratingsURL)
    try AtomicFile.write(
      Data(
        (["wall_seconds", "frames", "member", "generation"] + EvolvedValues.names).joined(separator: ",")
          .appending("\n").utf8),
      to: run.valuesURL)
    try AtomicFile.write(Data(), to: run.evolutionsURL)
    return run
  }

  /// Opens a population run: its folder, the members' configuration and the population's.
  public static func open(at url: URL) throws -> (
    PopulationRun, TrainingConfiguration, PopulationConfiguration
  ) {
    let (_, configuration) = try RunFolder.open(at: url)
    let run = PopulationRun(url: url)
    let population = try readSaved(
      PopulationConfiguration.self, from: run.populationURL, in: url, folderKind: "population run",
      what: "population configuration")
    return (run, configuration, population)
  }

  /// The saved state, or `nil` before the first checkpoint.
  public func state() throws -> PopulationState? {
    guard let data = FileManager.default.contents(atPath: stateURL.path) else { return nil }
    do {
      return try JSONDecoder().decode(PopulationState.self, from: data)
    } catch {
      throw TrainingError("\(stateURL.path) is damaged: \(error)")
    }
  }

  /// Saves `state` (atomically).
  public func write(_ state: PopulationState) throws {
    try AtomicFile.write(try Self.encoder.encode(state), to: stateURL)
  }

  /// The evolutions logged so far; a damaged line is skipped.
  public func evolutions() -> [EvolutionEvent] {
    lines(of: evolutionsURL).compactMap {
      try? JSONDecoder().decode(EvolutionEvent.self, from: Data($0.utf8))
    }
  }

  /// Appends `event` to the evolution log.
  public func log(_ event: EvolutionEvent) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try append(String(decoding: try encoder.encode(event), as: UTF8.self), to: evolutionsURL)
  }

  /// Appends a row of the ratings.
  public func appendRatings(_ state: PopulationState, framesPerSecond: Double) throws {
    let fields =
      [String(format: "%.3f", state.wallSeconds), "\(state.frames)", String(format: "%.1f", framesPerSecond)]
      + ["\(state.games)", "\(state.evolutions)"] + state.elo.ratings.map { String(format: "%.1f", $0) }
    try append(fields.joined(separator: ","), to: ratingsURL)
    try tensorBoard.append(tensorBoardEvents(ratings: [fields.compactMap { Double($0) }], values: []))
  }

  /// Appends a row of every member's values.
  public func appendValues(_ state: PopulationState) throws {
    let rows = state.members.enumerated().map { index, record in
      ([String(format: "%.3f", state.wallSeconds), "\(state.frames)", "\(index)", "\(record.generation)"]
        + record.values.flattened.map { String(format: "%.6g", $0) }).joined(separator: ",")
    }
    try append(rows.joined(separator: "\n"), to: valuesURL)
    let numbers = rows.map { $0.split(separator: ",").compactMap { Double($0) } }
    try tensorBoard.append(tensorBoardEvents(ratings: [], values: numbers))
  }

  /// TensorBoard's events of rows of the ratings (`population/<column>`) and of the values
  /// (`member_<i>/<column>`), at the population's frames; the last row was logged now.
  private func tensorBoardEvents(ratings: [[Double]], values: [[Double]]) -> [TensorBoardEvent] {
    let last = max(ratings.last?.first ?? 0, values.last?.first ?? 0)
    let ratingColumns = lines(of: ratingsURL).first?.split(separator: ",").map(String.init) ?? []
    let valueColumns = lines(of: valuesURL).first?.split(separator: ",").map(String.init) ?? []
    let memberColumn = 2
    func events(_ columns: [String], _ row: [Double], prefix: String) -> [TensorBoardEvent] {
      TensorBoardLog.events(
        columns: columns, rows: [row.map { $0 }], stepColumn: "frames", prefix: prefix,
        secondsAgo: { _ in last - row[0] })
    }
    return ratings.flatMap { events(ratingColumns, $0, prefix: "population/") }
      + values.filter { $0.count > memberColumn }.flatMap { row in
        var (columns, row) = (valueColumns, row)
        let member = Int(row.remove(at: memberColumn))
        if columns.count > memberColumn { columns.remove(at: memberColumn) }
        return events(columns, row, prefix: "member_\(member)/")
      }
  }

  /// The rows of a CSV file after its header, as numbers; damaged rows are skipped.
  public func table(_ file: URL) -> [[Double]] {
    let rows = lines(of: file)
    guard let header = rows.first else { return [] }
    let columns = header.split(separator: ",").count
    return rows.dropFirst().compactMap { line in
      let values = line.split(separator: ",", omittingEmptySubsequences: false).compactMap { Double($0) }
      return values.count == columns ? values : nil
    }
  }

  /// Drops the rows and events after `frames` of the whole population (a resumed run continues
  /// from its checkpoint), as each member's metrics are trimmed after its own frames.
  func trim(after frames: Int) throws {
    for file in [ratingsURL, valuesURL] {
      let rows = lines(of: file)
      guard let header = rows.first else { continue }
      // The second column of both is the population's frames.
      let kept = rows.dropFirst().filter { line in
        line.split(separator: ",").dropFirst().first.flatMap { Int($0) }.map { $0 <= frames } ?? false
      }
      try AtomicFile.write(Data(([header] + kept).map { $0 + "\n" }.joined().utf8), to: file)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let events = try evolutions().filter { $0.frames <= frames }.map {
      String(decoding: try encoder.encode($0), as: UTF8.self) + "\n"
    }
    try AtomicFile.write(Data(events.joined().utf8), to: evolutionsURL)
    try tensorBoard.rewrite(tensorBoardEvents(ratings: table(ratingsURL), values: table(valuesURL)))
  }

  private func lines(of file: URL) -> [String] {
    guard let data = FileManager.default.contents(atPath: file.path) else { return [] }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  private func append(_ text: String, to file: URL) throws {
    guard let handle = try? FileHandle(forWritingTo: file) else {
      throw TrainingError("cannot append to \(file.path)")
    }
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data((text + "\n").utf8))
  }

  private static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return encoder
  }
}
