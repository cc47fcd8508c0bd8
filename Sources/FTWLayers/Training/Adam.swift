import FTWTensor
import Foundation

/// Sonnet's Adam (`snt.optimizers.Adam`), with bias correction:
/// `m = β1·m + (1-β1)·g`, `v = β2·v + (1-β2)·g²`, `p -= lr · m̂ / (sqrt(v̂) + ε)` with
/// `m̂ = m / (1 - β1^t)`, `v̂ = v / (1 - β2^t)` and `t` the number of updates so far.
///
/// ```swift
/// let optimizer = Adam(learningRate: 1e-3)
/// ```
public final class Adam: Optimizer {
  /// The learning rate, readable and settable between steps (a hyperparameter).
  public var learningRate: Float
  public let beta1: Float
  public let beta2: Float
  public let epsilon: Float
  /// Updates applied so far (Sonnet's `step`).
  public private(set) var step: Int = 0
  private var slots = OptimizerSlots()

  public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
  }

  public func apply(_ gradients: [String: Tensor], to module: Module) throws {
    let updates = try parametersWithGradients(gradients, in: module, slots: slots)
    step += 1
    let correction1 = 1 - Float(Foundation.pow(Double(beta1), Double(step)))
    let correction2 = 1 - Float(Foundation.pow(Double(beta2), Double(step)))
    for (path, parameter, gradient) in updates {
      let shape = parameter.shape
      let (m, v) = (
        slots.slot("m", for: path, shape: shape), slots.slot("v", for: path, shape: shape)
      )
      let (g, p, ms, vs) = (gradient.scalars, parameter.value.scalars, m.scalars, v.scalars)
      var newM = ms
      var newV = vs
      var newP = p
      for i in 0..<g.count {
        newM[i] = beta1 * ms[i] + (1 - beta1) * g[i]
        newV[i] = beta2 * vs[i] + (1 - beta2) * g[i] * g[i]
        newP[i] =
          p[i] - learningRate * (newM[i] / correction1) / ((newV[i] / correction2).squareRoot() + epsilon)
      }
      slots.set("m", for: path, Tensor(shape: shape, scalars: newM))
      slots.set("v", for: path, Tensor(shape: shape, scalars: newV))
      parameter.value = Tensor(shape: shape, scalars: newP)
    }
  }

  public var state: [String: Tensor] { slots.state.merging(["step": Tensor(Float(step))]) { $1 } }

  public func load(state: [String: Tensor]) throws {
    guard let saved = state["step"], saved.scalarCount == 1, saved.scalar >= 0,
      saved.scalar == saved.scalar.rounded()
    else {
      throw OptimizerError(message: "Adam state needs a non-negative integer 'step'")
    }
    step = Int(saved.scalar)
    slots = OptimizerSlots.from(state, names: ["m", "v"])
  }
}
