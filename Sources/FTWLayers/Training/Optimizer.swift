import FTWTensor
import Foundation

/// An optimiser: updates parameters from their gradients, keeping its slots (moving averages,
/// momenta) per parameter path so that its state can be saved and restored.
///
/// ```swift
/// let optimizer = RMSProp(learningRate: 1e-3, decay: 0.99, epsilon: 0.01)
/// let (_, gradient) = valueWithGradient(of: model) { loss() }
/// try optimizer.apply(gradient, to: model)
/// ```
public protocol Optimizer: AnyObject {
  /// Updates each trainable parameter of `module` that has a gradient in `gradients` (by path).
  func apply(_ gradients: [String: Tensor], to module: Module) throws
  /// The slots and counters, by name (`<path>/<slot>`), for checkpoints.
  var state: [String: Tensor] { get }
  /// Restores ``state``.
  func load(state: [String: Tensor]) throws
}

/// Why an optimiser could not apply an update or restore its state.
public struct OptimizerError: Error, CustomStringConvertible, Equatable {
  public let message: String

  public init(message: String) { self.message = message }
  public var description: String { message }
}

/// Slots of one kind (`ms`, `mom`, ...) per parameter path, created as zeros on first use.
struct OptimizerSlots {
  var values: [String: [String: Tensor]] = [:]

  /// The slot `name` of the parameter at `path`, zeros on first use (`parametersWithGradients`
  /// checks the shapes of restored slots).
  mutating func slot(_ name: String, for path: String, shape: [Int]) -> Tensor {
    if let existing = values[path]?[name] { return existing }
    let zeros = Tensor(zeros: shape)
    values[path, default: [:]][name] = zeros
    return zeros
  }

  mutating func set(_ name: String, for path: String, _ value: Tensor) {
    values[path, default: [:]][name] = value
  }

  var state: [String: Tensor] {
    var flat: [String: Tensor] = [:]
    for (path, slots) in values { for (name, value) in slots { flat["\(path)/\(name)"] = value } }
    return flat
  }

  /// Slots from a flat state whose keys end in one of `names`.
  static func from(_ state: [String: Tensor], names: [String]) -> OptimizerSlots {
    var slots = OptimizerSlots()
    for (key, value) in state {
      guard let name = names.first(where: { key.hasSuffix("/\($0)") }) else { continue }
      slots.set(name, for: String(key.dropLast(name.count + 1)), value)
    }
    return slots
  }
}

/// Each trainable parameter of `module` with a gradient, its gradient and its existing `slots`
/// checked for shape before anything is updated.
func parametersWithGradients(
  _ gradients: [String: Tensor], in module: Module, slots: OptimizerSlots
) throws -> [(path: String, parameter: Parameter, gradient: Tensor)] {
  try module.trainableParameters().compactMap { path, parameter in
    guard let gradient = gradients[path] else { return nil }
    guard gradient.shape == parameter.shape else {
      throw OptimizerError(
        message: "gradient for \(path) has shape \(gradient.shape), the parameter \(parameter.shape)")
    }
    for (name, slot) in (slots.values[path] ?? [:]).sorted(by: { $0.key < $1.key })
    where slot.shape != parameter.shape {
      throw OptimizerError(
        message: "slot \(name) of \(path) has shape \(slot.shape), the parameter \(parameter.shape)")
    }
    return (path, parameter, gradient)
  }
}

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
