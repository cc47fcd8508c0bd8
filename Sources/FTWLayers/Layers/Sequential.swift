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

/// Flattens every axis after the first `preserveDimensions` into one (Sonnet's `snt.Flatten`).
///
/// ```swift
/// Flatten()(Tensor(zeros: [2, 3, 4]))   // [2, 12]
/// ```
public final class Flatten: Module, Layer {
  public let preserveDimensions: Int

  public init(preserveDimensions: Int = 1, name: String = "flatten") {
    self.preserveDimensions = preserveDimensions
    super.init(name: name)
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    input.flattened(keepingLeadingAxes: preserveDimensions)
  }
}

/// Layers applied in order (Sonnet's `snt.Sequential`).
///
/// Activations count as entries, as in Sonnet, so in `[linear, relu, linear]` the linears are
/// `layers/0` and `layers/2` (reference `_layers/0`, `_layers/2`).
///
/// ```swift
/// let mlp = Sequential([.layer(first), .activation(.relu), .layer(second)])
/// let y = mlp(x)
/// ```
public final class Sequential: Module, Layer {
  /// One entry of a ``Sequential``.
  public enum Entry {
    case layer(any Layer)
    case activation(Activation)
  }

  public let entries: [Entry]

  public init(_ entries: [Entry], name: String = "sequential") {
    self.entries = entries
    super.init(name: name)
    for (index, entry) in entries.enumerated() {
      if case .layer(let layer) = entry {
        register(layer, as: "layers/\(index)", reference: "_layers/\(index)")
      }
    }
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    entries.reduce(input) { x, entry in
      switch entry {
      case .layer(let layer): return layer(x)
      case .activation(let activation): return activation(x)
      }
    }
  }
}
