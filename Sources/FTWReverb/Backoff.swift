/// The waits between attempts to reach a server: ``first`` after the first failure, twice as long
/// after each next one, at most ``cap``; back to ``first`` after a success.
///
/// ```swift
/// var backoff = Backoff(cap: 8)
/// backoff.next()   // 0.25
/// backoff.next()   // 0.5
/// backoff.reset()  // the server answered
/// ```
public struct Backoff: Sendable, Equatable {
  /// Seconds of the first wait.
  public let first: Double
  /// The longest wait, in seconds.
  public let cap: Double
  /// Seconds of the next wait.
  public private(set) var delay: Double

  /// Waits from `first` seconds up to `cap`.
  public init(first: Double = 0.25, cap: Double = 30) {
    precondition(first > 0 && cap >= first, "a backoff waits from first > 0 to cap >= first")
    self.first = first
    self.cap = cap
    delay = first
  }

  /// The wait before the next attempt, in seconds; the one after is twice as long (up to the cap).
  public mutating func next() -> Double {
    defer { delay = Swift.min(delay * 2, cap) }
    return delay
  }

  /// Starts again from the first wait.
  public mutating func reset() { delay = first }
}
