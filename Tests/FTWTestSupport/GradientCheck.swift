import FTWTensor
import Testing

/// Helpers shared by the test targets.

/// Checks the autodiff gradient of `f` at `inputs` against central finite differences of
/// `sum(f(inputs) * cotangent)` for a fixed random cotangent.
///
/// Float32 differences with step `h` are accurate to roughly `h^2` plus rounding, so the bound
/// is `tolerance * max(1, |g|)` per element.
public func checkGradients(
  _ inputs: [Tensor], step h: Float = 1e-2, tolerance: Float = 2e-2,
  sourceLocation: SourceLocation = #_sourceLocation,
  _ f: ([Tensor]) -> Tensor
) {
  var generator = RandomGenerator(seed: 7)
  let watched = inputs.map { $0.watched() }
  let output = f(watched)
  let cotangent = Tensor(randomNormal: output.shape, generator: &generator)
  let analytic = gradients(of: [output], cotangents: [cotangent], withRespectTo: watched)

  func objective(_ values: [Tensor]) -> Double {
    let y = f(values)
    return zip(y.scalars, cotangent.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
  }
  for (index, input) in inputs.enumerated() {
    let base = input.scalars
    for element in 0..<base.count {
      func shifted(_ delta: Float) -> [Tensor] {
        var values = base
        values[element] += delta
        var all = inputs
        all[index] = Tensor(shape: input.shape, scalars: values)
        return all
      }
      let numeric = Float((objective(shifted(h)) - objective(shifted(-h))) / Double(2 * h))
      let computed = analytic[index].scalars[element]
      #expect(
        abs(numeric - computed) <= tolerance * max(1, abs(numeric)),
        "input \(index) element \(element): autodiff \(computed), finite difference \(numeric)",
        sourceLocation: sourceLocation)
    }
  }
}

/// A tensor of values drawn uniformly from `[lower, upper)`, seeded by `seed`.
public func random(_ shape: [Int], _ lower: Float = -1, _ upper: Float = 1, seed: UInt64 = 1) -> Tensor {
  var generator = RandomGenerator(seed: seed)
  return Tensor(randomUniform: shape, lower: lower, upper: upper, generator: &generator)
}

/// Whether every element of `a` is within `tolerance` of `b` (shapes equal).
public func close(_ a: Tensor, _ b: [Float], _ tolerance: Float = 1e-5) -> Bool {
  a.scalarCount == b.count && zip(a.scalars, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}
