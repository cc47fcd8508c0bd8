/// NumPy-style broadcasting of shapes and the elementwise kernels built on it.

/// The shape two operands broadcast to: axes align from the right and an extent of 1 stretches.
public func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
  let rank = Swift.max(a.count, b.count)
  var result = [Int](repeating: 1, count: rank)
  for axis in 0..<rank {
    let x = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
    let y = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
    precondition(x == y || x == 1 || y == 1, "shapes \(a) and \(b) do not broadcast")
    result[axis] = x == 1 ? y : x
  }
  return result
}

/// Element strides of a tensor of `shape` read as if it had `target` shape (0 on stretched axes).
func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
  var strides = [Int](repeating: 0, count: target.count)
  var step = 1
  let offset = target.count - shape.count
  for axis in stride(from: shape.count - 1, through: 0, by: -1) {
    strides[axis + offset] = shape[axis] == 1 ? 0 : step
    step *= shape[axis]
  }
  return strides
}

extension Tensor {
  /// Applies `op` to every element; records nothing.
  @inline(__always)
  func mapValues(_ op: (Float) -> Float) -> Tensor {
    let source = storage.pointer
    return Tensor(shape: shape) { out in
      for i in 0..<out.count { out[i] = op(source[i]) }
    }
  }

  /// Applies `op` to pairs of elements of `self` and `other`, broadcast together; records nothing.
  @inline(__always)
  func zipValues(_ other: Tensor, _ op: (Float, Float) -> Float) -> Tensor {
    let a = storage.pointer
    let b = other.storage.pointer
    if shape == other.shape {
      return Tensor(shape: shape) { out in
        for i in 0..<out.count { out[i] = op(a[i], b[i]) }
      }
    }
    if other.scalarCount == 1 && other.rank <= rank {
      let y = b[0]
      return Tensor(shape: shape) { out in
        for i in 0..<out.count { out[i] = op(a[i], y) }
      }
    }
    if scalarCount == 1 && rank <= other.rank {
      let x = a[0]
      return Tensor(shape: other.shape) { out in
        for i in 0..<out.count { out[i] = op(x, b[i]) }
      }
    }
    let outShape = broadcastShape(shape, other.shape)
    let sa = broadcastStrides(shape, to: outShape)
    let sb = broadcastStrides(other.shape, to: outShape)
    return Tensor(shape: outShape) { out in
      guard out.count > 0 else { return }
      let rank = outShape.count
      let inner = outShape[rank - 1]
      let ia = sa[rank - 1]
      let ib = sb[rank - 1]
      var index = [Int](repeating: 0, count: rank)
      var offsetA = 0
      var offsetB = 0
      var written = 0
      while written < out.count {
        for j in 0..<inner { out[written + j] = op(a[offsetA + j * ia], b[offsetB + j * ib]) }
        written += inner
        // Advance the odometer over all axes but the last.
        var axis = rank - 2
        while axis >= 0 {
          index[axis] += 1
          offsetA += sa[axis]
          offsetB += sb[axis]
          if index[axis] < outShape[axis] { break }
          offsetA -= sa[axis] * index[axis]
          offsetB -= sb[axis] * index[axis]
          index[axis] = 0
          axis -= 1
        }
      }
    }
  }

  /// Sums a broadcast result back to `target`, the shape of the operand that was stretched.
  public func summed(toShape target: [Int]) -> Tensor {
    if shape == target { return self }
    // The common case, a bias broadcast over leading axes: one pass over [rows, trailing].
    if target.count < rank, Array(shape.suffix(target.count)) == target {
      let trailing = target.reduce(1, *)
      return reshaped(to: [scalarCount / Swift.max(trailing, 1), trailing]).reduceValues(
        axis: 0, initial: 0, +
      )
      .reshaped(to: target)
    }
    var reduced = self
    let extra = rank - target.count
    if extra > 0 { reduced = reduced.sum(alongAxes: Array(0..<extra)) }
    let stretched = target.indices.filter { target[$0] == 1 && reduced.shape[$0] != 1 }
    if !stretched.isEmpty { reduced = reduced.sum(alongAxes: stretched, keepingDimensions: true) }
    return reduced.reshaped(to: target)
  }
}
