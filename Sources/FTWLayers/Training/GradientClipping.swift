import FTWTensor

/// The tensors scaled together so that their global norm is at most `maxNorm` (TensorFlow's
/// `clip_by_global_norm`): `t · maxNorm / max(globalNorm, maxNorm)`. Differentiable.
///
/// - Returns: the clipped tensors and the global norm `sqrt(sum of all squares)` before clipping.
///
/// ```swift
/// let (clipped, norm) = clipByGlobalNorm(gradients, maxNorm: 40)
/// ```
public func clipByGlobalNorm(_ tensors: [Tensor], maxNorm: Float) -> (clipped: [Tensor], globalNorm: Tensor) {
  precondition(maxNorm > 0, "maxNorm must be positive, got \(maxNorm)")
  guard !tensors.isEmpty else { return ([], Tensor(0)) }
  let squares = tensors.map { $0.squared().sum() }
  let globalNorm = squares.dropFirst().reduce(squares[0], +).sqrt()
  let scale = maxNorm * minimum(1 / globalNorm, Tensor(1 / maxNorm))
  return (tensors.map { $0 * scale }, globalNorm)
}

/// The gradients by path clipped to global norm `maxNorm` (see ``clipByGlobalNorm(_:maxNorm:)``).
public func clipByGlobalNorm(
  _ gradients: [String: Tensor], maxNorm: Float
) -> (clipped: [String: Tensor], globalNorm: Float) {
  let paths = gradients.keys.sorted()
  let (clipped, norm) = clipByGlobalNorm(paths.map { gradients[$0]! }, maxNorm: maxNorm)
  return (Dictionary(uniqueKeysWithValues: zip(paths, clipped)), norm.scalar)
}
