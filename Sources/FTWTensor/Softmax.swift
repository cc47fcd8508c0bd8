import Foundation

extension Tensor {
  /// `exp(x) / sum(exp(x))` along `axis` (the last by default), stable for any magnitude.
  public func softmax(alongAxis axis: Int = -1) -> Tensor {
    let axis = normalizedAxis(axis)
    let normaliser = stoppingGradient().logSumExp(alongAxes: [axis], keepingDimensions: true)
    let result = zipValues(normaliser) { Foundation.exp($0 - $1) }
    guard requiresGradient else { return result }
    return result.recording([self]) { g in
      let dot = g.zipValues(result, *).reduceValues(axis: axis, initial: 0, +)
      return [result * (g - dot)]
    }
  }

  /// `x - log(sum(exp(x)))` along `axis` (the last by default), stable for any magnitude.
  public func logSoftmax(alongAxis axis: Int = -1) -> Tensor {
    let axis = normalizedAxis(axis)
    let normaliser = stoppingGradient().logSumExp(alongAxes: [axis], keepingDimensions: true)
    let result = zipValues(normaliser, -)
    guard requiresGradient else { return result }
    return result.recording([self]) { g in
      let total = g.reduceValues(axis: axis, initial: 0, +)
      return [g - result.mapValues { Foundation.exp($0) } * total]
    }
  }
}
