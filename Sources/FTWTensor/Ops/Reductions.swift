import Foundation

/// Reductions over axes: sum, mean, max, log-sum-exp, and the cumulative product.

extension Tensor {
  /// `axis` counted from the front; negative values count from the back.
  func normalizedAxis(_ axis: Int) -> Int {
    let resolved = axis < 0 ? axis + rank : axis
    precondition(resolved >= 0 && resolved < Swift.max(rank, 1), "axis \(axis) out of range for rank \(rank)")
    return resolved
  }

  /// The extents before, at and after `axis`: the tensor read as `[outer, count, inner]`.
  func splitExtents(at axis: Int) -> (outer: Int, count: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
  }

  /// Reduces one axis to extent 1 with `combine`, starting from `initial`; records nothing.
  @inline(__always)
  func reduceValues(axis: Int, initial: Float, _ combine: (Float, Float) -> Float) -> Tensor {
    let (outer, count, inner) = splitExtents(at: axis)
    var outShape = shape
    outShape[axis] = 1
    let source = storage.pointer
    return Tensor(shape: outShape) { out in
      for o in 0..<outer {
        let row = out.baseAddress! + o * inner
        row.update(repeating: initial, count: inner)
        for k in 0..<count {
          let src = source + (o * count + k) * inner
          for i in 0..<inner { row[i] = combine(row[i], src[i]) }
        }
      }
    }
  }

  /// Reduces `axes` (all when empty) with a kept-extent-1 result; records nothing.
  func reduceValues(
    axes: [Int], initial: Float, _ combine: (Float, Float) -> Float
  ) -> Tensor {
    var result = self
    for axis in Set(axes.map(normalizedAxis)).sorted() {
      result = result.reduceValues(axis: axis, initial: initial, combine)
    }
    return result
  }

  func resolvedAxes(_ axes: [Int]?) -> [Int] {
    axes.map { Array(Set($0.map(normalizedAxis))).sorted() } ?? Array(0..<rank)
  }

  func reducedShape(_ axes: [Int], keepingDimensions: Bool) -> [Int] {
    keepingDimensions
      ? shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
      : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
  }

  /// The sum over `axes` (every axis when `nil`).
  public func sum(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
    let axes = resolvedAxes(axes)
    let kept = reduceValues(axes: axes, initial: 0, +)
    let result = kept.reshaped(to: reducedShape(axes, keepingDimensions: keepingDimensions))
    guard requiresGradient else { return result }
    let (source, keptShape) = (shape, kept.shape)
    return result.recording([self]) { g in [g.reshaped(to: keptShape).broadcasted(to: source)] }
  }

  /// The sum over one axis.
  public func sum(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
    sum(alongAxes: [axis], keepingDimensions: keepingDimensions)
  }

  /// The mean over `axes` (every axis when `nil`).
  public func mean(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
    let axes = resolvedAxes(axes)
    let count = axes.map { shape[$0] }.reduce(1, *)
    return sum(alongAxes: axes, keepingDimensions: keepingDimensions) / Float(count)
  }

  /// The maximum over `axes` (every axis when `nil`); tied maxima share the gradient equally.
  public func max(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
    let axes = resolvedAxes(axes)
    let kept = reduceValues(axes: axes, initial: -.infinity) { Swift.max($0, $1) }
    let result = kept.reshaped(to: reducedShape(axes, keepingDimensions: keepingDimensions))
    guard requiresGradient else { return result }
    let x = stoppingGradient()
    return result.recording([self]) { g in
      let winners = x.isEqual(to: kept)
      let ties = winners.reduceValues(axes: axes, initial: 0, +)
      return [winners * (g.reshaped(to: kept.shape) / ties)]
    }
  }

  /// `log(sum(exp(x)))` over `axes` (every axis when `nil`), computed without overflow.
  public func logSumExp(alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Tensor {
    let axes = resolvedAxes(axes)
    let peak = reduceValues(axes: axes, initial: -.infinity) { Swift.max($0, $1) }
      .mapValues { $0.isFinite ? $0 : 0 }
    let shifted = (stoppingGradient() - peak).exp().reduceValues(axes: axes, initial: 0, +)
    let kept = shifted.zipValues(peak) { Foundation.log($0) + $1 }
    let result = kept.reshaped(to: reducedShape(axes, keepingDimensions: keepingDimensions))
    guard requiresGradient else { return result }
    let x = stoppingGradient()
    return result.recording([self]) { g in
      [g.reshaped(to: kept.shape) * x.zipValues(kept) { Foundation.exp($0 - $1) }]
    }
  }

  /// The running product along `axis`.
  ///
  /// With `exclusive`, element `i` is the product of the elements before it (the first is 1), as
  /// TensorFlow's `cumprod(exclusive: true)`. The gradient is exact even where elements are zero.
  public func cumulativeProduct(alongAxis axis: Int, exclusive: Bool = false) -> Tensor {
    let axis = normalizedAxis(axis)
    let (outer, count, inner) = splitExtents(at: axis)
    let source = storage.pointer
    let result = Tensor(shape: shape) { out in
      for o in 0..<outer {
        for i in 0..<inner {
          var running: Float = 1
          for k in 0..<count {
            let index = (o * count + k) * inner + i
            if exclusive {
              out[index] = running
              running *= source[index]
            } else {
              running *= source[index]
              out[index] = running
            }
          }
        }
      }
    }
    guard requiresGradient else { return result }
    let x = stoppingGradient()
    return result.recording([self]) { g in
      // dL/dx_j = P_(j-1) * s_j with P the exclusive prefix product and s a suffix recurrence:
      // inclusive: s_j = g_j + x_(j+1) s_(j+1); exclusive: s_j = g_(j+1) + x_(j+1) s_(j+1).
      [
        Tensor(shape: x.shape) { out in
          let (xs, gs) = (x.storage.pointer, g.storage.pointer)
          for o in 0..<outer {
            for i in 0..<inner {
              let at = { (k: Int) in (o * count + k) * inner + i }
              var suffix: Float = 0
              for k in stride(from: count - 1, through: 0, by: -1) {
                if exclusive {
                  suffix = k + 1 < count ? gs[at(k + 1)] + xs[at(k + 1)] * suffix : 0
                } else {
                  suffix = gs[at(k)] + (k + 1 < count ? xs[at(k + 1)] * suffix : 0)
                }
                out[at(k)] = suffix
              }
              var prefix: Float = 1
              for k in 0..<count {
                out[at(k)] *= prefix
                prefix *= xs[at(k)]
              }
            }
          }
        }
      ]
    }
  }
}
