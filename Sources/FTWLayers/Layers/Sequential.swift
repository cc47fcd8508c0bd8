import FTWTensor

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
