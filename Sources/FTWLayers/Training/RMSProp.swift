import CFTWKernels
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
      var (newMom, newMg, newParameter) = (mom, mg, parameter.value)
      let (decay, momentum, learningRate, epsilon) = (
        self.decay, self.momentum, self.learningRate, self.epsilon
      )
      // One pass over the buffers writes the new tensors (`ftw_rmsprop_step`, vectorised).
      let newMs = Tensor(shape: shape) { msOut in
        newMom = Tensor(shape: shape) { momOut in
          newParameter = Tensor(shape: shape) { parameterOut in
            gradient.withUnsafeBufferPointer { g in
              ms.withUnsafeBufferPointer { s in
                mom.withUnsafeBufferPointer { m in
                  parameter.value.withUnsafeBufferPointer { p in
                    let step = { (means: UnsafePointer<Float>?, meansOut: UnsafeMutablePointer<Float>?) in
                      ftw_rmsprop_step(
                        g.count, g.baseAddress, s.baseAddress, m.baseAddress, means, p.baseAddress, decay,
                        momentum,
                        learningRate, epsilon, msOut.baseAddress, momOut.baseAddress, meansOut,
                        parameterOut.baseAddress)
                    }
                    guard let mg else { return step(nil, nil) }
                    newMg = Tensor(shape: shape) { mgOut in
                      mg.withUnsafeBufferPointer { means in step(means.baseAddress, mgOut.baseAddress) }
                    }
                  }
                }
              }
            }
          }
        }
      }
      slots.set("ms", for: path, newMs)
      slots.set("mom", for: path, newMom)
      if let newMg { slots.set("mg", for: path, newMg) }
      parameter.value = newParameter
    }
  }

  public var state: [String: Tensor] { slots.state }

  public func load(state: [String: Tensor]) throws {
    slots = OptimizerSlots.from(state, names: ["ms", "mom", "mg"])
  }
}
