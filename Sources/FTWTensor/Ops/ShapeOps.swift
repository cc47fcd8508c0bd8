/// Ops that move values without changing them: transpose, slice, concatenate, split, stack,
/// expand and squeeze. All are differentiable.

extension Tensor {
  /// Copies the strided view (`shape`, element `strides`, starting at `offset`) into a new tensor.
  func gatherView(shape outShape: [Int], strides: [Int], offset: Int) -> Tensor {
    let source = storage.pointer + offset
    return Tensor(shape: outShape) { out in
      guard out.count > 0 else { return }
      let rank = outShape.count
      if rank == 0 {
        out[0] = source[0]
        return
      }
      let inner = outShape[rank - 1]
      let innerStride = strides[rank - 1]
      var index = [Int](repeating: 0, count: rank)
      var position = 0
      var written = 0
      while written < out.count {
        if innerStride == 1 {
          (out.baseAddress! + written).update(from: source + position, count: inner)
        } else {
          for j in 0..<inner { out[written + j] = source[position + j * innerStride] }
        }
        written += inner
        var axis = rank - 2
        while axis >= 0 {
          index[axis] += 1
          position += strides[axis]
          if index[axis] < outShape[axis] { break }
          position -= strides[axis] * index[axis]
          index[axis] = 0
          axis -= 1
        }
      }
    }
  }

  /// The axes reordered: axis `i` of the result is axis `permutation[i]` of `self`.
  public func transposed(permutation: [Int]) -> Tensor {
    precondition(
      permutation.sorted() == Array(0..<rank), "\(permutation) is not a permutation of \(rank) axes")
    let strides = contiguousStrides(shape)
    let result = gatherView(
      shape: permutation.map { shape[$0] }, strides: permutation.map { strides[$0] }, offset: 0)
    guard requiresGradient else { return result }
    var inverse = permutation
    for (i, p) in permutation.enumerated() { inverse[p] = i }
    return result.recording([self]) { g in [g.transposed(permutation: inverse)] }
  }

  /// The last two axes swapped.
  public func transposed() -> Tensor {
    precondition(rank >= 2, "transposed() needs rank 2 or more, got \(shape)")
    var permutation = Array(0..<rank)
    permutation.swapAt(rank - 1, rank - 2)
    return transposed(permutation: permutation)
  }

  /// The block starting at `lowerBounds` with extents `sizes` (one of each per axis).
  public func slice(lowerBounds: [Int], sizes: [Int]) -> Tensor {
    precondition(lowerBounds.count == rank && sizes.count == rank, "slice needs one bound per axis")
    for axis in 0..<rank {
      precondition(
        lowerBounds[axis] >= 0 && sizes[axis] >= 0 && lowerBounds[axis] + sizes[axis] <= shape[axis],
        "slice \(lowerBounds)+\(sizes) out of range for \(shape)")
    }
    let strides = contiguousStrides(shape)
    let offset = zip(lowerBounds, strides).map(*).reduce(0, +)
    let result = gatherView(shape: sizes, strides: strides, offset: offset)
    guard requiresGradient else { return result }
    return result.recordingSlice(of: self, at: lowerBounds)
  }

  /// The elements `range` of `axis`.
  public func slice(_ range: Range<Int>, alongAxis axis: Int) -> Tensor {
    let axis = normalizedAxis(axis)
    var lower = [Int](repeating: 0, count: rank)
    var sizes = shape
    lower[axis] = range.lowerBound
    sizes[axis] = range.count
    return slice(lowerBounds: lower, sizes: sizes)
  }

  /// Element `index` of `axis`, with that axis removed.
  public func element(_ index: Int, alongAxis axis: Int = 0) -> Tensor {
    let axis = normalizedAxis(axis)
    return slice(index..<(index + 1), alongAxis: axis).squeezingShape(at: axis)
  }

  /// A new axis of extent 1 inserted at `axis` (negative counts from the back of the result).
  public func expandingShape(at axis: Int) -> Tensor {
    let resolved = axis < 0 ? axis + rank + 1 : axis
    precondition(resolved >= 0 && resolved <= rank, "axis \(axis) out of range for rank \(rank)")
    var newShape = shape
    newShape.insert(1, at: resolved)
    return reshaped(to: newShape)
  }

  /// The axis `axis`, which must have extent 1, removed.
  public func squeezingShape(at axis: Int) -> Tensor {
    let axis = normalizedAxis(axis)
    precondition(shape[axis] == 1, "cannot squeeze axis \(axis) of \(shape)")
    var newShape = shape
    newShape.remove(at: axis)
    return reshaped(to: newShape)
  }

  /// The tensor as `[leading, rest]`, keeping the first `axes` axes together.
  public func flattened(keepingLeadingAxes axes: Int = 1) -> Tensor {
    reshaped(to: Array(shape[..<axes]) + [shape[axes...].reduce(1, *)])
  }

  /// Pieces of `axis` with the given extents, which must add up to the axis' extent.
  public func split(sizes: [Int], alongAxis axis: Int) -> [Tensor] {
    let axis = normalizedAxis(axis)
    precondition(sizes.reduce(0, +) == shape[axis], "split sizes \(sizes) do not add up to \(shape[axis])")
    var start = 0
    return sizes.map { size in
      defer { start += size }
      return slice(start..<(start + size), alongAxis: axis)
    }
  }

  /// `count` equal pieces of `axis`.
  public func split(count: Int, alongAxis axis: Int) -> [Tensor] {
    let axis = normalizedAxis(axis)
    precondition(count > 0 && shape[axis] % count == 0, "cannot split \(shape[axis]) into \(count)")
    return split(sizes: Array(repeating: shape[axis] / count, count: count), alongAxis: axis)
  }

  /// The slices of `axis`, each with that axis removed.
  public func unstacked(alongAxis axis: Int = 0) -> [Tensor] {
    let axis = normalizedAxis(axis)
    return (0..<shape[axis]).map { element($0, alongAxis: axis) }
  }
}

/// The tensors joined along `axis`; they must agree on every other axis.
public func concatenate(_ tensors: [Tensor], alongAxis axis: Int) -> Tensor {
  precondition(!tensors.isEmpty, "concatenate needs at least one tensor")
  let first = tensors[0]
  let axis = first.normalizedAxis(axis)
  for t in tensors {
    precondition(
      t.rank == first.rank
        && (0..<first.rank).allSatisfy { $0 == axis || t.shape[$0] == first.shape[$0] },
      "cannot concatenate \(t.shape) with \(first.shape) along axis \(axis)")
  }
  let extents = tensors.map { $0.shape[axis] }
  var outShape = first.shape
  outShape[axis] = extents.reduce(0, +)
  let outer = first.shape[..<axis].reduce(1, *)
  let inner = first.shape[(axis + 1)...].reduce(1, *)
  let total = outShape[axis] * inner
  let result = Tensor(shape: outShape) { out in
    var column = 0
    for t in tensors {
      let width = t.shape[axis] * inner
      let source = t.storage.pointer
      for o in 0..<outer {
        (out.baseAddress! + o * total + column).update(from: source + o * width, count: width)
      }
      column += width
    }
  }
  guard tensors.contains(where: \.requiresGradient) else { return result }
  let needs = tensors.map(\.requiresGradient)
  return result.recording(tensors) { g in
    zip(g.split(sizes: extents, alongAxis: axis), needs).map { $1 ? $0 : nil }
  }
}

/// The tensors, all of one shape, stacked along a new axis `axis`.
public func stack(_ tensors: [Tensor], alongAxis axis: Int = 0) -> Tensor {
  precondition(!tensors.isEmpty, "stack needs at least one tensor")
  return concatenate(tensors.map { $0.expandingShape(at: axis) }, alongAxis: axis)
}
