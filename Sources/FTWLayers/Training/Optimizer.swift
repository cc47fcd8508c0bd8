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
