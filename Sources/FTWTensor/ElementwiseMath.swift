import Foundation

/// Differentiable elementwise functions. Each is numerically stable for inputs of any magnitude and
/// sends every element through the same scalar code, so equal inputs give equal bits.

/// The logistic function `1 / (1 + exp(-x))`, computed without overflow.
@inline(__always)
func stableSigmoid(_ x: Float) -> Float {
  if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
  let e = Foundation.exp(x)
  return e / (1 + e)
}

/// `log(1 + exp(x))`, computed without overflow.
@inline(__always)
func stableSoftplus(_ x: Float) -> Float {
  Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
}

extension Tensor {
  /// Records a unary op whose input cotangent is `derivative(g, x, y)` elementwise.
  @inline(__always)
  private func unary(
    _ forward: (Float) -> Float, derivative: @escaping (Float, Float, Float) -> Float
  ) -> Tensor {
    let result = mapValues(forward)
    guard requiresGradient else { return result }
    let x = stoppingGradient()
    return result.recording([self]) { g in
      [
        Tensor(shape: g.shape) { out in
          let (gs, xs, ys) = (g.storage.pointer, x.storage.pointer, result.storage.pointer)
          for i in 0..<out.count { out[i] = derivative(gs[i], xs[i], ys[i]) }
        }
      ]
    }
  }

  /// `e^x`.
  public func exp() -> Tensor { unary({ Foundation.exp($0) }, derivative: { g, _, y in g * y }) }
  /// The natural logarithm.
  public func log() -> Tensor { unary({ Foundation.log($0) }, derivative: { g, x, _ in g / x }) }
  /// `log(1 + x)`, accurate near zero.
  public func log1p() -> Tensor {
    unary({ Foundation.log1p($0) }, derivative: { g, x, _ in g / (1 + x) })
  }
  /// The hyperbolic tangent.
  public func tanh() -> Tensor {
    unary({ Foundation.tanh($0) }, derivative: { g, _, y in g * (1 - y * y) })
  }
  /// The logistic sigmoid.
  public func sigmoid() -> Tensor {
    unary(stableSigmoid, derivative: { g, _, y in g * y * (1 - y) })
  }
  /// `max(x, 0)`; the gradient at exactly 0 is 0.
  public func relu() -> Tensor {
    unary({ $0 > 0 ? $0 : 0 }, derivative: { g, x, _ in x > 0 ? g : 0 })
  }
  /// `x` for positive `x`, else `e^x - 1`.
  public func elu() -> Tensor {
    unary({ $0 > 0 ? $0 : Foundation.expm1($0) }, derivative: { g, x, y in x > 0 ? g : g * (y + 1) })
  }
  /// `log(1 + e^x)`.
  public func softplus() -> Tensor {
    unary(stableSoftplus, derivative: { g, x, _ in g * stableSigmoid(x) })
  }
  /// The square root.
  public func sqrt() -> Tensor {
    unary({ $0.squareRoot() }, derivative: { g, _, y in g / (2 * y) })
  }
  /// `x * x`.
  public func squared() -> Tensor { unary({ $0 * $0 }, derivative: { g, x, _ in 2 * x * g }) }
  /// The absolute value; the gradient at 0 is 0.
  public func abs() -> Tensor {
    unary({ Swift.abs($0) }, derivative: { g, x, _ in x > 0 ? g : (x < 0 ? -g : 0) })
  }
  /// `x` raised to a constant power.
  public func pow(_ exponent: Float) -> Tensor {
    unary(
      { Foundation.pow($0, exponent) },
      derivative: { g, x, _ in g * exponent * Foundation.pow(x, exponent - 1) })
  }
  /// Values limited to `[lower, upper]`; the gradient passes where `lower <= x <= upper`.
  public func clipped(min lower: Float, max upper: Float) -> Tensor {
    precondition(lower <= upper, "clip range [\(lower), \(upper)] is empty")
    return unary(
      { Swift.min(Swift.max($0, lower), upper) },
      derivative: { g, x, _ in x >= lower && x <= upper ? g : 0 })
  }
}
