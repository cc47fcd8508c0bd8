import Foundation

extension Tensor {
  /// `x - max(x)` along `axis` and `sum(exp(x - max(x)))`, both with the axis kept; records nothing.
  private func shiftedByMaximum(axis: Int) -> (shifted: Tensor, total: Tensor) {
    let peak = reduceValues(axis: axis, initial: -.infinity) { Swift.max($0, $1) }
      .mapValues { $0.isFinite ? $0 : 0 }
    let shifted = zipValues(peak, -)
    let total = shifted.mapValues { Foundation.exp($0) }.reduceValues(axis: axis, initial: 0, +)
    return (shifted, total)
  }

  /// `exp(x) / sum(exp(x))` along `axis` (the last by default), stable for any magnitude.
  public func softmax(alongAxis axis: Int = -1) -> Tensor {
    let axis = normalizedAxis(axis)
    let (shifted, total) = shiftedByMaximum(axis: axis)
    let result = shifted.zipValues(total) { Foundation.exp($0) / $1 }
    guard requiresGradient else { return result }
    return result.recording([self]) { g in
      let dot = g.zipValues(result, *).reduceValues(axis: axis, initial: 0, +)
      return [result * (g - dot)]
    }
  }

  /// `x - log(sum(exp(x)))` along `axis` (the last by default), stable for any magnitude.
  public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
    let axis = normalizedAxis(axis)
    let (shifted, total) = shiftedByMaximum(axis: axis)
    let result = shifted.zipValues(total) { $0 - Foundation.log($1) }
    guard requiresGradient else { return result }
    return result.recording([self]) { g in
      let gradientTotal = g.reduceValues(axis: axis, initial: 0, +)
      return [g - result.mapValues { Foundation.exp($0) } * gradientTotal]
    }
  }
}
