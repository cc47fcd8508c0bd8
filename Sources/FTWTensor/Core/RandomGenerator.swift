import Foundation

/// A seeded random number generator (xoshiro256**) whose whole state is four words, so a run can be
/// replayed bit for bit and a generator can be saved and restored.
///
/// ```swift
/// var generator = RandomGenerator(seed: 42)
/// let noise = Tensor(randomNormal: [4, 8], generator: &generator)
/// ```
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable {
  /// The four state words; any value but all zeros is valid.
  public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

  /// A generator seeded from `seed` through SplitMix64.
  public init(seed: UInt64) {
    var x = seed
    func splitMix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (splitMix(), splitMix(), splitMix(), splitMix())
  }

  /// A generator resuming from saved state words.
  ///
  /// - Precondition: not all four words are zero.
  public init(state: (UInt64, UInt64, UInt64, UInt64)) {
    precondition(state != (0, 0, 0, 0), "the all-zero state is not a valid xoshiro state")
    self.state = state
  }

  public static func == (lhs: RandomGenerator, rhs: RandomGenerator) -> Bool {
    lhs.state == rhs.state
  }

  public mutating func next() -> UInt64 {
    let result = rotate(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotate(state.3, 45)
    return result
  }

  private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// A uniform value in `[0, 1)` with 24 random bits.
  public mutating func nextUniform() -> Float {
    Float(next() >> 40) * 0x1p-24
  }

  /// A standard normal value (Box-Muller on two uniforms).
  public mutating func nextNormal() -> Float {
    let u1 = Double(next() >> 11) * 0x1p-53
    let u2 = Double(next() >> 11) * 0x1p-53
    let radius = (-2 * Foundation.log(1 - u1)).squareRoot()
    return Float(radius * Foundation.cos(2 * Double.pi * u2))
  }

  /// A standard normal value redrawn until it lies within two standard deviations.
  public mutating func nextTruncatedNormal() -> Float {
    while true {
      let value = nextNormal()
      if Swift.abs(value) <= 2 { return value }
    }
  }
}

extension Tensor {
  /// A tensor of `shape` whose values `draw` takes from `generator`, in row-major order.
  private init(
    shape: [Int], generator: inout RandomGenerator, draw: (inout RandomGenerator) -> Float
  ) {
    var g = generator
    self.init(shape: shape) { out in
      for i in 0..<out.count { out[i] = draw(&g) }
    }
    generator = g
  }

  /// Values drawn uniformly from `[lower, upper)`.
  public init(
    randomUniform shape: [Int], lower: Float = 0, upper: Float = 1,
    generator: inout RandomGenerator
  ) {
    self.init(shape: shape, generator: &generator) { lower + (upper - lower) * $0.nextUniform() }
  }

  /// Values drawn from a normal distribution.
  public init(
    randomNormal shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
    generator: inout RandomGenerator
  ) {
    self.init(shape: shape, generator: &generator) { mean + standardDeviation * $0.nextNormal() }
  }

  /// Values drawn from a normal distribution cut at two standard deviations (redrawn beyond).
  public init(
    truncatedNormal shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
    generator: inout RandomGenerator
  ) {
    self.init(shape: shape, generator: &generator) {
      mean + standardDeviation * $0.nextTruncatedNormal()
    }
  }
}
