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

/// An elementwise function and its derivative, applied by ``Tensor``'s unary ops.
///
/// A value type rather than a pair of closures: the loops over elements, forward and backward, are
/// specialised for each function and vectorise, where a stored closure would be called once per
/// element.
protocol ElementwiseFunction {
  /// `f(x)`.
  func callAsFunction(_ x: Float) -> Float
  /// The cotangent of `x`, `g · f'(x)`, given also `y = f(x)`.
  func pullback(_ g: Float, x: Float, y: Float) -> Float
}

extension Tensor {
  /// `function` applied to every element, recording its derivative.
  @inline(__always)
  private func unary<Function: ElementwiseFunction>(_ function: Function) -> Tensor {
    let source = storage.pointer
    let result = Tensor(shape: shape) { out in
      for i in 0..<out.count { out[i] = function(source[i]) }
    }
    guard requiresGradient else { return result }
    let x = stoppingGradient()
    return result.recording([self]) { g in
      [
        Tensor(shape: g.shape) { out in
          let (gs, xs, ys) = (g.storage.pointer, x.storage.pointer, result.storage.pointer)
          for i in 0..<out.count { out[i] = function.pullback(gs[i], x: xs[i], y: ys[i]) }
        }
      ]
    }
  }

  /// `e^x`.
  public func exp() -> Tensor { unary(Exp()) }
  /// The natural logarithm.
  public func log() -> Tensor { unary(Log()) }
  /// `log(1 + x)`, accurate near zero.
  public func log1p() -> Tensor { unary(Log1p()) }
  /// The hyperbolic tangent.
  public func tanh() -> Tensor { unary(Tanh()) }
  /// The logistic sigmoid.
  public func sigmoid() -> Tensor { unary(Sigmoid()) }
  /// `max(x, 0)`; the gradient at exactly 0 is 0.
  public func relu() -> Tensor { unary(ReLU()) }
  /// `x` for positive `x`, else `e^x - 1`.
  public func elu() -> Tensor { unary(ELU()) }
  /// `log(1 + e^x)`.
  public func softplus() -> Tensor { unary(Softplus()) }
  /// The square root.
  public func sqrt() -> Tensor { unary(SquareRoot()) }
  /// `x * x`.
  public func squared() -> Tensor { unary(Square()) }
  /// The absolute value; the gradient at 0 is 0.
  public func abs() -> Tensor { unary(AbsoluteValue()) }
  /// `x` raised to a constant power.
  public func pow(_ exponent: Float) -> Tensor { unary(Power(exponent: exponent)) }
  /// Values limited to `[lower, upper]`; the gradient passes where `lower <= x <= upper`.
  public func clipped(min lower: Float, max upper: Float) -> Tensor {
    precondition(lower <= upper, "clip range [\(lower), \(upper)] is empty")
    return unary(Clip(lower: lower, upper: upper))
  }
}

private struct Exp: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { Foundation.exp(x) }
  func pullback(_ g: Float, x: Float, y: Float) -> Float { g * y }
}

private struct Log: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { Foundation.log(x) }
  func pullback(_ g: Float, x: Float, y: Float) -> Float { g / x }
}

private struct Log1p: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { Foundation.log1p(x) }
  func pullback(_ g: Float, x: Float, y: Float) -> Float { g / (1 + x) }
}

private struct Tanh: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { Foundation.tanh(x) }
  func pullback(_ g: Float, x: Float, y: Float) -> Float { g * (1 - y * y) }
}

private struct Sigmoid: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { stableSigmoid(x) }
  func pullback(_ g: Float, x: Float, y: Float) -> Float { g * y * (1 - y) }
}

private struct ReLU: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { x > 0 ? x : 0 }
  func pullback(_ g: Float, x: Float, y: Float) -> Float { x > 0 ? g : 0 }
}

private struct ELU: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { x > 0 ? x : Foundation.expm1(x) }
  func pullback(_ g: Float, x: Float, y: Float) -> Float { x > 0 ? g : g * (y + 1) }
}

private struct Softplus: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { stableSoftplus(x) }
  func pullback(_ g: Float, x: Float, y: Float) -> Float { g * stableSigmoid(x) }
}

private struct SquareRoot: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { x.squareRoot() }
  func pullback(_ g: Float, x: Float, y: Float) -> Float { g / (2 * y) }
}

private struct Square: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { x * x }
  func pullback(_ g: Float, x: Float, y: Float) -> Float { 2 * x * g }
}

private struct AbsoluteValue: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { Swift.abs(x) }
  func pullback(_ g: Float, x: Float, y: Float) -> Float { x > 0 ? g : (x < 0 ? -g : 0) }
}

private struct Power: ElementwiseFunction {
  let exponent: Float
  func callAsFunction(_ x: Float) -> Float { Foundation.pow(x, exponent) }
  func pullback(_ g: Float, x: Float, y: Float) -> Float { g * exponent * Foundation.pow(x, exponent - 1) }
}

private struct Clip: ElementwiseFunction {
  let lower: Float
  let upper: Float
  func callAsFunction(_ x: Float) -> Float { Swift.min(Swift.max(x, lower), upper) }
  func pullback(_ g: Float, x: Float, y: Float) -> Float { x >= lower && x <= upper ? g : 0 }
}
