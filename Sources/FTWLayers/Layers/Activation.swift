import FTWTensor

/// A differentiable elementwise activation, chosen by name in configurations.
public enum Activation: String, Sendable, CaseIterable {
  case relu, tanh, elu

  /// Applies the activation.
  public func callAsFunction(_ x: Tensor) -> Tensor {
    switch self {
    case .relu: return x.relu()
    case .tanh: return x.tanh()
    case .elu: return x.elu()
    }
  }
}
