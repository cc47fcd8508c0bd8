import FTWTensor

/// A module that maps one tensor to one tensor, usable in ``Sequential``.
public protocol Layer: Module {
  func callAsFunction(_ input: Tensor) -> Tensor
}
