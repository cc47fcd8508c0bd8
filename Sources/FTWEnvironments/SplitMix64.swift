/// A small, fast, seedable generator (SplitMix64) that makes games reproducible bit for bit.
///
/// ```swift
/// var generator = SplitMix64(seed: 42)
/// let roll = generator.next(below: 6)  // 0..<6
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// Creates a generator; equal seeds give equal sequences.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in `0..<bound` (`bound` > 0).
  public mutating func next(below bound: Int) -> Int {
    Int(next(upperBound: UInt64(bound)))
  }

  /// A uniform integer in `range`.
  public mutating func next(in range: ClosedRange<Int>) -> Int {
    range.lowerBound + next(below: range.count)
  }
}
