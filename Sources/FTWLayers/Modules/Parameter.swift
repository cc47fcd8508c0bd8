import FTWTensor
import Foundation

/// A named, mutable tensor owned by a ``Module``: a weight, a bias, or a non-trainable variable.
///
/// Reading ``value`` outside a gradient computation gives the plain tensor (no graph is
/// recorded). Inside ``valueWithGradient(of:_:)`` or ``ParameterWatch`` it gives a watched leaf,
/// so that gradients can be taken with respect to it.
///
/// ```swift
/// let w = Parameter(Tensor(zeros: [3, 4]))
/// w.value = Tensor(ones: [3, 4])
/// ```
public final class Parameter {
  private var stored: Tensor
  /// Whether optimisers and gradients see this parameter.
  public let isTrainable: Bool

  /// Creates a parameter holding `value`.
  public init(_ value: Tensor, trainable: Bool = true) {
    stored = value.stoppingGradient()
    isTrainable = trainable
  }

  /// The shape, fixed at creation.
  public var shape: [Int] { stored.shape }

  /// The current value; setting it requires the same shape.
  public var value: Tensor {
    get {
      if isTrainable, let watch = ParameterWatch.current, let leaf = watch.leaf(for: self) {
        return leaf
      }
      return stored
    }
    set {
      precondition(
        newValue.shape == stored.shape,
        "parameter of shape \(stored.shape) cannot take a value of shape \(newValue.shape)")
      stored = newValue.stoppingGradient()
    }
  }
}
