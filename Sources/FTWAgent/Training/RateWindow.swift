/// Frames per second over the last few learner steps of a run.
///
/// ```swift
/// var window = RateWindow(steps: 20)
/// window.add(seconds: 1, frames: 160)   // 0: one point is no rate yet
/// window.add(seconds: 2, frames: 320)   // 160
/// ```
struct RateWindow {
  /// The steps the rate is taken over.
  let steps: Int
  private var points: [(seconds: Double, frames: Int)] = []

  /// A window over the last `steps` learner steps.
  init(steps: Int) { self.steps = max(steps, 2) }

  /// Records that the run had trained on `frames` frames after `seconds`, and returns the rate
  /// since the oldest step kept.
  mutating func add(seconds: Double, frames: Int) -> Double {
    points = Array((points + [(seconds, frames)]).suffix(steps))
    guard points.count > 1, let first = points.first else { return 0 }
    return Double(frames - first.frames) / max(seconds - first.seconds, 1e-9)
  }
}
