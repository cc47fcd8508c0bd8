import FTWLayers
import Foundation

/// A training run's folder: `configuration.json`, `metrics.csv` (and the same scalars in
/// TensorBoard's `events.out.tfevents.ftw`), `learning-curve.svg` and `checkpoints/`.
///
/// ```swift
/// let run = try RunFolder.create(at: URL(fileURLWithPath: "runs/first"), configuration: configuration)
/// let (resumed, saved) = try RunFolder.open(at: run.url)
/// ```
public struct RunFolder: Sendable {
  /// The folder.
  public let url: URL

  /// The configuration's file.
  public var configurationURL: URL { url.appendingPathComponent("configuration.json") }
  /// The metrics' file.
  public var metricsURL: URL { url.appendingPathComponent("metrics.csv") }
  /// The learning curve's file.
  public var curveURL: URL { url.appendingPathComponent("learning-curve.svg") }
  /// The TensorBoard event file, which holds every metrics row.
  public var tensorBoard: TensorBoardLog { TensorBoardLog(folder: url) }
  /// The checkpoints.
  public var checkpoints: CheckpointStore { CheckpointStore(url: url.appendingPathComponent("checkpoints")) }

  /// Creates a new run folder; refuses a folder that already holds a run.
  public static func create(at url: URL, configuration: TrainingConfiguration) throws -> RunFolder {
    let run = try createHoldingConfiguration(at: url, configuration: configuration)
    try AtomicFile.write(Data((MetricsRow.header + "\n").utf8), to: run.metricsURL)
    return run
  }

  /// Creates the folder with only `configuration.json`; refuses a folder that already holds a run.
  static func createHoldingConfiguration(at url: URL, configuration: TrainingConfiguration) throws
    -> RunFolder
  {
    let run = RunFolder(url: url)
    if FileManager.default.fileExists(atPath: run.configurationURL.path) {
      throw TrainingError(
        "\(url.path) already holds a run; resume it with --resume \(url.path) or choose another folder")
    }
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      throw TrainingError("cannot create the run folder \(url.path): \(error.localizedDescription)")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try AtomicFile.write(try encoder.encode(configuration), to: run.configurationURL)
    return run
  }

  /// Opens an existing run and reads its configuration.
  public static func open(at url: URL) throws -> (RunFolder, TrainingConfiguration) {
    let run = RunFolder(url: url)
    let configuration = try readSaved(
      TrainingConfiguration.self, from: run.configurationURL, in: url, folderKind: "run folder",
      what: "configuration")
    return (run, configuration)
  }

  /// The metrics rows written so far; a damaged or half-written line is skipped.
  public func metrics() -> [MetricsRow] {
    guard let data = FileManager.default.contents(atPath: metricsURL.path) else { return [] }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst().compactMap {
      MetricsRow(csv: $0)
    }
  }

  /// Rewrites the metrics with `rows` (atomically): a resumed run drops what came after its
  /// checkpoint.
  public func writeMetrics(_ rows: [MetricsRow]) throws {
    let text = ([MetricsRow.header] + rows.map(\.csv)).joined(separator: "\n") + "\n"
    try AtomicFile.write(Data(text.utf8), to: metricsURL)
    try tensorBoard.rewrite(Self.events(of: rows))
  }

  /// Drops the metrics rows after `frames` (the member's, at the checkpoint a run resumes from):
  /// every run trims what it will write again by frames.
  public func trimMetrics(after frames: Int) throws {
    try writeMetrics(metrics().filter { $0.frames <= frames })
  }

  /// Appends one row.
  public func append(_ row: MetricsRow) throws {
    guard let handle = try? FileHandle(forWritingTo: metricsURL) else {
      try writeMetrics(metrics() + [row])
      return
    }
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data((row.csv + "\n").utf8))
    try tensorBoard.append(Self.events(of: [row]))
  }

  /// TensorBoard's events of `rows`: every column at the row's frames, the last row logged now.
  static func events(of rows: [MetricsRow]) -> [TensorBoardEvent] {
    let last = rows.last?.wallSeconds ?? 0
    return TensorBoardLog.events(
      columns: MetricsRow.columns, rows: rows.map(\.values), stepColumn: "frames",
      secondsAgo: { last - rows[$0].wallSeconds })
  }

  /// Draws the learning curve from the metrics.
  public func drawLearningCurve() throws {
    try AtomicFile.write(Data(LearningCurve(rows: metrics()).svg().utf8), to: curveURL)
  }
}
