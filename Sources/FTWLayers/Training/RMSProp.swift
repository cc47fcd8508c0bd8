import FTWTensor

/// Sonnet's RMSProp (`snt.optimizers.RMSProp`):
/// `ms = decay·ms + (1-decay)·g²`, centred also `mg = decay·mg + (1-decay)·g`;
/// `mom = momentum·mom + lr·g / sqrt(ms [- mg²] + ε)`; `p -= mom`. Slots start at zero.
///
/// ```swift
/// let optimizer = RMSProp(learningRate: 4e-4, decay: 0.99, epsilon: 0.01)
/// ```
public final class RMSProp: Optimizer {
  /// The learning rate, readable and settable between steps (a hyperparameter).
  public var learningRate: Float
  public let decay: Float
  public let momentum: Float
  public let epsilon: Float
  public let centered: Bool
  private var slots = OptimizerSlots()

  public init(
    learningRate: Float, decay: Float = 0.9, momentum: Float = 0, epsilon: Float = 1e-10,
    centered: Bool = false
  ) {
    self.learningRate = learningRate
    self.decay = decay
    self.momentum = momentum
    self.epsilon = epsilon
    self.centered = centered
  }

  public func apply(_ gradients: [String: Tensor], to module: Module) throws {
    for (path, parameter, gradient) in try parametersWithGradients(gradients, in: module, slots: slots) {
      let shape = parameter.shape
      let ms = slots.slot("ms", for: path, shape: shape)
      let mom = slots.slot("mom", for: path, shape: shape)
      let mg = centered ? slots.slot("mg", for: path, shape: shape) : nil
      let (g, s, m, p) = (gradient.scalars, ms.scalars, mom.scalars, parameter.value.scalars)
      let means = mg?.scalars
      var newMs = s
      var newMom = m
      var newMg = means ?? []
      var newParameter = p
      for i in 0..<g.count {
        newMs[i] = g[i] * g[i] * (1 - decay) + s[i] * decay
        var denominator = newMs[i] + epsilon
        if let means {
          newMg[i] = g[i] * (1 - decay) + means[i] * decay
          denominator = newMs[i] - newMg[i] * newMg[i] + epsilon
        }
        newMom[i] = momentum * m[i] + learningRate * g[i] / denominator.squareRoot()
        newParameter[i] = p[i] - newMom[i]
      }
      slots.set("ms", for: path, Tensor(shape: shape, scalars: newMs))
      slots.set("mom", for: path, Tensor(shape: shape, scalars: newMom))
      if centered { slots.set("mg", for: path, Tensor(shape: shape, scalars: newMg)) }
      parameter.value = Tensor(shape: shape, scalars: newParameter)
    }
  }

  public var state: [String: Tensor] { slots.state }

  public func load(state: [String: Tensor]) throws {
    slots = OptimizerSlots.from(state, names: ["ms", "mom", "mg"])
  }
}
