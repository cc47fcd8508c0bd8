/// How stale the experience of a member's last few learner steps was: each step's policy lag
/// (the learner steps between the weights that acted the trajectory and the step that learns from
/// it; 0 when the actor acted with the newest weights) and the share of V-trace's importance
/// weights the step clipped (``VTraceReturns/clippedShare``).
///
/// ```swift
/// var lag = PolicyLag(steps: 10)
/// lag.add(lag: learner.stepCount - experience.weightsVersion, clippedShare: metrics.clippedImportanceShare)
/// print(lag.median, lag.maximum, lag.clippedShare)
/// ```
public struct PolicyLag: Sendable, Equatable {
  /// How many of the latest steps it keeps.
  public let steps: Int
  private var lags: [Int] = []
  private var shares: [Float] = []
  private var next = 0

  /// An empty window of the latest `steps` steps (at least 1).
  public init(steps: Int) { self.steps = max(steps, 1) }

  /// Takes in a step's lag (a negative one, from weights newer than the learner's, which a
  /// learner resumed from an older checkpoint can meet, counts as 0) and its clipped share.
  public mutating func add(lag: Int, clippedShare: Float) {
    if lags.count < steps {
      lags.append(max(lag, 0))
      shares.append(clippedShare)
    } else {
      lags[next] = max(lag, 0)
      shares[next] = clippedShare
    }
    next = (next + 1) % steps
  }

  /// Whether no step was taken in yet.
  public var isEmpty: Bool { lags.isEmpty }

  /// The median lag of the window, in learner steps (0 when empty).
  public var median: Double {
    let sorted = lags.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
  }

  /// The largest lag of the window (0 when empty).
  public var maximum: Int { lags.max() ?? 0 }

  /// The mean clipped share of the window's steps (0 when empty).
  public var clippedShare: Double {
    shares.isEmpty ? 0 : shares.reduce(0) { $0 + Double($1) } / Double(shares.count)
  }
}
