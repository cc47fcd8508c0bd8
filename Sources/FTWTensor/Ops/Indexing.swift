/// Indexing ops: gather, take-along-axis, sorting and top-k.

extension Tensor {
  /// `tf.gather`: the slices of `axis` picked by `indices`, whose shape replaces that axis.
  ///
  /// - Precondition: every index lies in `0..<shape[axis]`.
  public func gathering(atIndices indices: IndexTensor, alongAxis axis: Int = 0) -> Tensor {
    let axis = normalizedAxis(axis)
    let (outer, count, inner) = splitExtents(at: axis)
    for index in indices.scalars {
      precondition(index >= 0 && Int(index) < count, "gather index \(index) out of range 0..<\(count)")
    }
    let outShape = Array(shape[..<axis]) + indices.shape + Array(shape[(axis + 1)...])
    var offsets = [Int]()
    offsets.reserveCapacity(outer * indices.scalars.count)
    for o in 0..<outer {
      for k in indices.scalars { offsets.append((o * count + Int(k)) * inner) }
    }
    return gatheringBlocks(at: offsets, length: inner, shape: outShape)
  }

  /// Copies the `length`-element blocks starting at `offsets` into a tensor of `shape`, in order;
  /// the gradient adds each block's cotangent back where it came from.
  private func gatheringBlocks(at offsets: [Int], length: Int, shape outShape: [Int]) -> Tensor {
    let source = storage.pointer
    let result = Tensor(shape: outShape) { out in
      for (block, offset) in offsets.enumerated() {
        (out.baseAddress! + block * length).update(from: source + offset, count: length)
      }
    }
    guard requiresGradient else { return result }
    let sourceShape = shape
    return result.recording([self]) { g in
      [
        Tensor(shape: sourceShape) { out in
          out.initialize(repeating: 0)
          let gs = g.storage.pointer
          for (block, offset) in offsets.enumerated() {
            let destination = out.baseAddress! + offset
            let values = gs + block * length
            for i in 0..<length { destination[i] += values[i] }
          }
        }
      ]
    }
  }

  /// `take_along_axis`: along `axis`, element `j` of each row is the row's element `indices[..., j]`.
  ///
  /// `indices` has the shape of `self` except on `axis`. This is the batched gather the DNC uses to
  /// sort and unsort memory slots.
  public func taking(alongAxis axis: Int, indices: IndexTensor) -> Tensor {
    let axis = normalizedAxis(axis)
    precondition(
      indices.rank == rank && (0..<rank).allSatisfy { $0 == axis || indices.shape[$0] == shape[$0] },
      "indices \(indices.shape) do not fit \(shape) along axis \(axis)")
    let (outer, count, inner) = splitExtents(at: axis)
    let picked = indices.shape[axis]
    for index in indices.scalars {
      precondition(index >= 0 && Int(index) < count, "index \(index) out of range 0..<\(count)")
    }
    var offsets = [Int](repeating: 0, count: indices.scalars.count)
    for o in 0..<outer {
      for j in 0..<picked {
        for i in 0..<inner {
          let at = (o * picked + j) * inner + i
          offsets[at] = (o * count + Int(indices.scalars[at])) * inner + i
        }
      }
    }
    return gatheringBlocks(at: offsets, length: 1, shape: indices.shape)
  }

  /// The indices that sort each row of `axis`, stable (equal values keep their order).
  ///
  /// Not differentiable; combine with ``taking(alongAxis:indices:)`` for sorted values with a gradient.
  public func argsort(alongAxis axis: Int = -1, descending: Bool = false) -> IndexTensor {
    let axis = normalizedAxis(axis)
    let (outer, count, inner) = splitExtents(at: axis)
    let values = scalars
    var result = [Int32](repeating: 0, count: scalarCount)
    var order = [Int](repeating: 0, count: count)
    for o in 0..<outer {
      for i in 0..<inner {
        let at = { (k: Int) in (o * count + k) * inner + i }
        for k in 0..<count { order[k] = k }
        order.sort { p, q in
          let (a, b) = (values[at(p)], values[at(q)])
          if a != b { return descending ? a > b : a < b }
          return p < q
        }
        for k in 0..<count { result[at(k)] = Int32(order[k]) }
      }
    }
    return IndexTensor(shape: shape, scalars: result)
  }

  /// The `k` largest values of each row of the last axis and their indices, largest first; ties
  /// keep the lower index first (`tf.nn.top_k`). The values are differentiable.
  public func topK(_ k: Int) -> (values: Tensor, indices: IndexTensor) {
    precondition(rank >= 1 && k >= 0 && k <= shape[rank - 1], "top-\(k) of \(shape)")
    let order = argsort(alongAxis: -1, descending: true)
    let count = shape[rank - 1]
    let rows = scalarCount / Swift.max(count, 1)
    var picked = [Int32]()
    picked.reserveCapacity(rows * k)
    for r in 0..<rows { picked += order.scalars[(r * count)..<(r * count + k)] }
    let indices = IndexTensor(shape: Array(shape.dropLast()) + [k], scalars: picked)
    return (taking(alongAxis: -1, indices: indices), indices)
  }
}
