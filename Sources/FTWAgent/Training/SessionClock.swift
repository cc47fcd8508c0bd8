import Foundation

/// One training session's budget and clock: when it started, whether it may take another learner
/// step, and when a checkpoint is due (every `checkpointMinutes`).
///
/// ```swift
/// var clock = SessionClock(budget: TrainingBudget(minutes: 30), stop: stop, checkpointMinutes: 10)
/// while !clock.isSpent(frames: frames) {
///   // ... a learner step ...
///   if clock.checkpointIsDue() { try save() }
/// }
/// ```
struct SessionClock {
  let budget: TrainingBudget
  let stop: StopSignal
  let checkpointMinutes: Double
  private let start = Date()
  private var lastCheckpoint = Date()

  init(budget: TrainingBudget, stop: StopSignal, checkpointMinutes: Double) {
    self.budget = budget
    self.stop = stop
    self.checkpointMinutes = checkpointMinutes
  }

  /// Seconds since the session started.
  var seconds: Double { Date().timeIntervalSince(start) }

  /// Whether the session must stop, the run having trained on `frames` frames in all.
  func isSpent(frames: Int) -> Bool {
    if let minutes = budget.minutes, seconds >= minutes * 60 { return true }
    if let limit = budget.frames, frames >= limit { return true }
    return stop.isRaised
  }

  /// Whether `checkpointMinutes` have passed since the session started or this last said so.
  mutating func checkpointIsDue() -> Bool {
    guard Date().timeIntervalSince(lastCheckpoint) >= checkpointMinutes * 60 else { return false }
    lastCheckpoint = Date()
    return true
  }
}
