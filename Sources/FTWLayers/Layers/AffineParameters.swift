import FTWTensor

/// The weight `w` and optional bias `b` of Linear and the convolutions, drawn by Sonnet's rules:
/// `w` from `wInit` (default truncated normal with deviation `1/sqrt(fanIn)`), `b` from `bInit`.
struct AffineParameters {
  let w: Parameter
  let b: Parameter?

  init(
    weightShape: [Int], fanIn: Int, biasSize: Int, withBias: Bool, wInit: Initializer?,
    bInit: Initializer, generator: inout RandomGenerator
  ) {
    w = Parameter((wInit ?? .sonnetDefault(fanIn: fanIn)).tensor(shape: weightShape, generator: &generator))
    b = withBias ? Parameter(bInit.tensor(shape: [biasSize], generator: &generator)) : nil
  }

  /// Registers `w` and `b` in `module` under their Sonnet names.
  func register(in module: Module) {
    module.register(w, as: "w")
    if let b { module.register(b, as: "b") }
  }

  /// `x + b` (broadcast over the last axis), or `x` without a bias.
  func addingBias(to x: Tensor) -> Tensor {
    b.map { x + $0.value } ?? x
  }
}
