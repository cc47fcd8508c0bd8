import FTWTensor

/// A fixed structure of tensors, such as a recurrent state, that can be combined leaf by leaf and
/// listed by name (Sonnet's `tree.map_structure` and `tree.flatten_with_path`).
///
/// ```swift
/// let kept = TensorStructures.selectRows(update, new, old)   // per batch row: new where update
/// for (name, tensor) in state.namedTensors() { print(name, tensor.shape) }
/// ```
public protocol TensorStructure {
  /// `self` and `other` (same structure) combined leaf by leaf.
  func combined(with other: Self, _ combine: (Tensor, Tensor) -> Tensor) -> Self
  /// Every leaf with its path of field names as the reference spells them (`controller_state/hidden`).
  func namedTensors() -> [(name: String, tensor: Tensor)]
}

extension TensorStructure {
  /// Every leaf transformed by `transform`.
  public func mapped(_ transform: (Tensor) -> Tensor) -> Self {
    combined(with: self) { leaf, _ in transform(leaf) }
  }
}

extension Tensor: TensorStructure {
  public func combined(with other: Tensor, _ combine: (Tensor, Tensor) -> Tensor) -> Tensor {
    combine(self, other)
  }

  public func namedTensors() -> [(name: String, tensor: Tensor)] { [("", self)] }
}

extension LSTMState: TensorStructure {
  public func combined(with other: LSTMState, _ combine: (Tensor, Tensor) -> Tensor) -> LSTMState {
    LSTMState(hidden: combine(hidden, other.hidden), cell: combine(cell, other.cell))
  }

  public func namedTensors() -> [(name: String, tensor: Tensor)] {
    [("hidden", hidden), ("cell", cell)]
  }
}

/// Helpers over tensor structures.
public enum TensorStructures {
  /// Per batch row (axis 0), the row of `whenTrue` where `condition[row]` is nonzero, else the row of
  /// `otherwise` (TensorFlow 1's `where` with a rank-1 condition); differentiable in both branches.
  ///
  /// - Parameters:
  ///   - condition: `[B]`, nonzero where the row comes from `whenTrue`.
  ///   - whenTrue: the structure whose rows are taken where the condition holds.
  ///   - otherwise: the structure whose rows are taken elsewhere.
  public static func selectRows<S: TensorStructure>(_ condition: Tensor, _ whenTrue: S, _ otherwise: S) -> S {
    whenTrue.combined(with: otherwise) { a, b in
      select(condition.reshaped(to: [condition.scalarCount] + Array(repeating: 1, count: a.rank - 1)), a, b)
    }
  }

  /// The leaves of `structure` with `prefix/` before each name.
  public static func named<S: TensorStructure>(_ structure: S, prefix: String) -> [(
    name: String, tensor: Tensor
  )] {
    structure.namedTensors().map {
      (name: $0.name.isEmpty ? prefix : "\(prefix)/\($0.name)", tensor: $0.tensor)
    }
  }
}
