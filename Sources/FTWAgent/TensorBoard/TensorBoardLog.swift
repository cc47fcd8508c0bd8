import FTWLayers
import Foundation

/// A run folder's TensorBoard event file, `events.out.tfevents.ftw`: scalars appended as the run
/// logs them, rewritten whole (atomically) when the run trims its history on resuming, so
/// `tensorboard --logdir runs` shows every run's curves beside a user's other experiments.
///
/// ```swift
/// let log = TensorBoardLog(folder: run.url)
/// try log.append([TensorBoardEvent(step: 20_000, wallTime: 1.8e9, scalars: [.init("win_rate", 0.25)])])
/// ```
public struct TensorBoardLog: Sendable {
  /// The event file's name: TensorBoard reads every file whose name holds `tfevents`.
  public static let fileName = "events.out.tfevents.ftw"

  /// The event file.
  public let url: URL

  /// The event file of the run folder `folder`.
  public init(folder: URL) { url = folder.appendingPathComponent(Self.fileName) }

  /// Appends `events`, starting the file with its version record when it does not exist yet.
  public func append(_ events: [TensorBoardEvent]) throws {
    let records = events.flatMap(\.record)
    guard let handle = try? FileHandle(forWritingTo: url) else {
      try rewrite(events)
      return
    }
    defer { try? handle.close() }
    do {
      try handle.seekToEnd()
      try handle.write(contentsOf: Data(records))
    } catch {
      throw TrainingError("cannot append to \(url.path): \(error.localizedDescription)")
    }
  }

  /// Replaces the file with `events` (atomically).
  public func rewrite(_ events: [TensorBoardEvent]) throws {
    let wallTime = events.first?.wallTime ?? Date().timeIntervalSince1970
    try AtomicFile.write(
      Data(TensorBoardEvent.fileVersion(wallTime: wallTime) + events.flatMap(\.record)), to: url)
  }

  /// Events of the rows of a CSV table: one per row, at the step of its `stepColumn`, with a
  /// scalar named `prefix + column` for every column with a value. Row `i`, logged
  /// `secondsAgo(i)` seconds before now, gets that wall time.
  static func events(
    columns: [String], rows: [[Double?]], stepColumn: String, prefix: String = "",
    secondsAgo: (Int) -> Double = { _ in 0 }
  ) -> [TensorBoardEvent] {
    let now = Date().timeIntervalSince1970
    let stepIndex = columns.firstIndex(of: stepColumn)
    return rows.enumerated().map { index, row in
      let scalars = zip(columns, row).compactMap { column, value -> TensorBoardEvent.Scalar? in
        guard let value else { return nil }
        return .init(prefix + column, Float(value))
      }
      let step = stepIndex.flatMap { row[$0] }.map { Int($0) } ?? index
      return TensorBoardEvent(step: step, wallTime: now - secondsAgo(index), scalars: scalars)
    }
  }
}
