/// Broadcasting arithmetic, comparisons and selection.

extension Tensor {
  /// Elementwise sum, broadcasting.
  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
    let result = lhs.zipValues(rhs, +)
    guard anyRequiresGradient(lhs, rhs) else { return result }
    let (sa, sb) = (lhs.shape, rhs.shape)
    return result.recording([lhs, rhs]) { g in [g.summed(toShape: sa), g.summed(toShape: sb)] }
  }

  /// Elementwise difference, broadcasting.
  public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
    let result = lhs.zipValues(rhs, -)
    guard anyRequiresGradient(lhs, rhs) else { return result }
    let (sa, sb) = (lhs.shape, rhs.shape)
    return result.recording([lhs, rhs]) { g in
      [g.summed(toShape: sa), rhs.requiresGradient ? (-g).summed(toShape: sb) : nil]
    }
  }

  /// Elementwise product, broadcasting.
  public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
    let result = lhs.zipValues(rhs, *)
    guard anyRequiresGradient(lhs, rhs) else { return result }
    let (a, b) = (lhs.stoppingGradient(), rhs.stoppingGradient())
    return result.recording([lhs, rhs]) { g in
      [
        lhs.requiresGradient ? g.zipValues(b, *).summed(toShape: a.shape) : nil,
        rhs.requiresGradient ? g.zipValues(a, *).summed(toShape: b.shape) : nil,
      ]
    }
  }

  /// Elementwise quotient, broadcasting.
  public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
    let result = lhs.zipValues(rhs, /)
    guard anyRequiresGradient(lhs, rhs) else { return result }
    let (b, y) = (rhs.stoppingGradient(), result)
    return result.recording([lhs, rhs]) { g in
      [
        lhs.requiresGradient ? g.zipValues(b, /).summed(toShape: lhs.shape) : nil,
        rhs.requiresGradient ? (-(g * y)).zipValues(b, /).summed(toShape: b.shape) : nil,
      ]
    }
  }

  /// Elementwise negation.
  public static prefix func - (x: Tensor) -> Tensor {
    let result = x.mapValues { -$0 }
    guard x.requiresGradient else { return result }
    return result.recording([x]) { g in [-g] }
  }

  public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs + Tensor(rhs) }
  public static func + (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) + rhs }
  public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs - Tensor(rhs) }
  public static func - (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) - rhs }
  public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs * Tensor(rhs) }
  public static func * (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) * rhs }
  public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs / Tensor(rhs) }
  public static func / (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) / rhs }

  /// A mask (1 where true, else 0) of `self > other`, broadcasting; not differentiable.
  public func isGreater(than other: Tensor) -> Tensor { zipValues(other) { $0 > $1 ? 1 : 0 } }
  /// A mask of `self >= other`, broadcasting; not differentiable.
  public func isGreaterOrEqual(to other: Tensor) -> Tensor { zipValues(other) { $0 >= $1 ? 1 : 0 } }
  /// A mask of `self < other`, broadcasting; not differentiable.
  public func isLess(than other: Tensor) -> Tensor { zipValues(other) { $0 < $1 ? 1 : 0 } }
  /// A mask of `self == other`, broadcasting; not differentiable.
  public func isEqual(to other: Tensor) -> Tensor { zipValues(other) { $0 == $1 ? 1 : 0 } }
}

/// The elementwise maximum; where the two are equal, the gradient goes to `a` (TensorFlow's rule).
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
  let result = a.zipValues(b) { $0 >= $1 ? $0 : $1 }
  guard anyRequiresGradient(a, b) else { return result }
  let mask = a.isGreaterOrEqual(to: b)
  return result.recording([a, b]) { g in
    [
      a.requiresGradient ? g.zipValues(mask, *).summed(toShape: a.shape) : nil,
      b.requiresGradient ? g.zipValues(mask) { $0 * (1 - $1) }.summed(toShape: b.shape) : nil,
    ]
  }
}

/// The elementwise minimum; where the two are equal, the gradient goes to `a` (TensorFlow's rule).
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
  let result = a.zipValues(b) { $0 <= $1 ? $0 : $1 }
  guard anyRequiresGradient(a, b) else { return result }
  let mask = b.isGreaterOrEqual(to: a)
  return result.recording([a, b]) { g in
    [
      a.requiresGradient ? g.zipValues(mask, *).summed(toShape: a.shape) : nil,
      b.requiresGradient ? g.zipValues(mask) { $0 * (1 - $1) }.summed(toShape: b.shape) : nil,
    ]
  }
}

/// Picks `a` where `mask` is nonzero and `b` elsewhere, broadcasting all three.
///
/// The mask is not differentiated; each branch receives the gradient where it was picked.
public func select(_ mask: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
  let shape = broadcastShape(mask.shape, broadcastShape(a.shape, b.shape))
  let picked = mask.broadcastValues(to: shape).mapValues { $0 != 0 ? 1 : 0 }
  let x = a.broadcastValues(to: shape)
  let y = b.broadcastValues(to: shape)
  let result = Tensor(shape: shape) { out in
    let (m, xs, ys) = (picked.storage.pointer, x.storage.pointer, y.storage.pointer)
    for i in 0..<out.count { out[i] = m[i] != 0 ? xs[i] : ys[i] }
  }
  guard anyRequiresGradient(a, b) else { return result }
  return result.recording([a, b]) { g in
    [
      a.requiresGradient ? g.zipValues(picked, *).summed(toShape: a.shape) : nil,
      b.requiresGradient ? g.zipValues(picked) { $0 * (1 - $1) }.summed(toShape: b.shape) : nil,
    ]
  }
}

extension Tensor {
  /// The values stretched to `target` by broadcasting; records nothing.
  func broadcastValues(to target: [Int]) -> Tensor {
    shape == target ? self : Tensor(zeros: target).zipValues(self) { $1 }
  }

  /// The tensor stretched to `target` by broadcasting; differentiable.
  public func broadcasted(to target: [Int]) -> Tensor {
    precondition(broadcastShape(shape, target) == target, "cannot broadcast \(shape) to \(target)")
    let result = broadcastValues(to: target)
    guard requiresGradient else { return result }
    let source = shape
    return result.recording([self]) { g in [g.summed(toShape: source)] }
  }
}
