/// The matrix product `op(a) · op(b)` over the last two axes, where `op` transposes when asked.
///
/// Shapes: `[m, k] · [k, n] -> [m, n]`; batched `[..., m, k] · [..., k, n] -> [..., m, n]` with
/// equal leading axes; and `[..., m, k] · [k, n]`, the same matrix for every batch entry.
/// Runs on ``Gemm``.
///
/// ```swift
/// let y = matmul(x, w)            // [B, in] · [in, out] -> [B, out]
/// let s = matmul(q, k, transposeB: true)
/// ```
public func matmul(
  _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false
) -> Tensor {
  precondition(a.rank >= 2 && b.rank >= 2, "matmul needs rank >= 2, got \(a.shape) and \(b.shape)")
  if b.rank == 2 && a.rank > 2 && !transposeA {
    let leading = Array(a.shape.dropLast())
    let flat = matmul(a.reshaped(to: [-1, a.shape[a.rank - 1]]), b, transposeB: transposeB)
    return flat.reshaped(to: leading + [flat.shape[1]])
  }
  precondition(a.rank == b.rank, "matmul of \(a.shape) and \(b.shape): batch axes differ")
  let batchShape = Array(a.shape.dropLast(2))
  precondition(
    batchShape == Array(b.shape.dropLast(2)), "matmul of \(a.shape) and \(b.shape): batch axes differ")
  let (ar, ac) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
  let (br, bc) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
  let (m, k) = transposeA ? (ac, ar) : (ar, ac)
  let (kb, n) = transposeB ? (bc, br) : (br, bc)
  precondition(
    k == kb,
    "matmul inner extents differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
  let batch = batchShape.reduce(1, *)
  let result = Tensor(shape: batchShape + [m, n]) { out in
    for i in 0..<batch {
      Gemm.multiply(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
        a: a.storage.pointer + i * ar * ac, lda: ac, b: b.storage.pointer + i * br * bc, ldb: bc, beta: 0,
        c: out.baseAddress! + i * m * n, ldc: n, on: .active, bStorage: batch == 1 ? b.storage : nil)
    }
  }
  guard anyRequiresGradient(a, b) else { return result }
  let (x, y) = (a.stoppingGradient(), b.stoppingGradient())
  let da = { (g: Tensor) -> Tensor? in
    guard a.requiresGradient else { return nil }
    return transposeA
      ? matmul(y, g, transposeA: transposeB, transposeB: true) : matmul(g, y, transposeB: !transposeB)
  }
  // A 2-D `A · op(B)`: B's gradient `op(A)ᵀ g` (or its transpose) is deferred as the pair (A, g) or
  // (g, A), so that the backward pass sums it over every use of B (every step of an unroll) in one
  // product.
  guard b.requiresGradient && batch == 1 && a.rank == 2 && !transposeA else {
    return result.recording([a, b]) { g in
      let db: Tensor? =
        b.requiresGradient
        ? (transposeB
          ? matmul(g, x, transposeA: true, transposeB: transposeA) : matmul(x, g, transposeA: !transposeA))
        : nil
      return [da(g), db]
    }
  }
  let deferred = DeferredCotangent(
    input: 1, factors: { g in transposeB ? FactorPair(left: g, right: x) : FactorPair(left: x, right: g) },
    settle: settleTransposedProducts)
  return result.recordingProduct([a, b], deferred: deferred) { g in [da(g), nil] }
}

/// `Σ leftᵀ · right` over `pairs`, as one product of the pairs stacked by rows:
/// `[L₁; L₂; ...]ᵀ · [R₁; R₂; ...]`.
private func settleTransposedProducts(_ pairs: [FactorPair]) -> Tensor {
  guard pairs.count > 1 else { return matmul(pairs[0].left, pairs[0].right, transposeA: true) }
  return matmul(
    concatenate(pairs.map(\.left), alongAxis: 0), concatenate(pairs.map(\.right), alongAxis: 0),
    transposeA: true)
}
