import FTWTensor

/// The trainable parameters of a module, watched while a computation runs so that its results
/// can be differentiated with respect to them.
///
/// ```swift
/// let watch = ParameterWatch(model)
/// let y = watch.run { model(x) }
/// let (grads, _) = watch.gradients(of: [y], cotangents: [Tensor(ones: y.shape)])
/// ```
public final class ParameterWatch: @unchecked Sendable {
  @TaskLocal static var current: ParameterWatch?

  /// The watched parameters by path.
  public let parameters: [(path: String, parameter: Parameter)]
  private let leaves: [ObjectIdentifier: Tensor]

  /// Watches every trainable parameter of `module`.
  public init(_ module: Module) {
    parameters = module.namedParameters().filter { $0.parameter.isTrainable }
    var leaves: [ObjectIdentifier: Tensor] = [:]
    for (_, parameter) in parameters {
      leaves[ObjectIdentifier(parameter)] = parameter.value.watched()
    }
    self.leaves = leaves
  }

  func leaf(for parameter: Parameter) -> Tensor? { leaves[ObjectIdentifier(parameter)] }

  /// Runs `body` with the parameters watched.
  public func run<R>(_ body: () throws -> R) rethrows -> R {
    try ParameterWatch.$current.withValue(self, operation: body)
  }

  /// The gradient of `sum(roots[k] * cotangents[k])` with respect to every watched parameter
  /// (by path) and to each of `inputs` (tensors made with `watched()`).
  public func gradients(
    of roots: [Tensor], cotangents: [Tensor], inputs: [Tensor] = []
  ) -> (parameters: [String: Tensor], inputs: [Tensor]) {
    let sources = parameters.map { leaves[ObjectIdentifier($0.parameter)]! } + inputs
    let all = FTWTensor.gradients(of: roots, cotangents: cotangents, withRespectTo: sources)
    var byPath: [String: Tensor] = [:]
    for (index, entry) in parameters.enumerated() { byPath[entry.path] = all[index] }
    return (byPath, Array(all[parameters.count...]))
  }
}

/// The value of the scalar `loss` that `body` computes with `module`, and its gradient with
/// respect to each trainable parameter of `module`, by path.
///
/// ```swift
/// let (loss, grads) = valueWithGradient(of: model) { (model(x) - y).squared().mean() }
/// ```
public func valueWithGradient(
  of module: Module, _ body: () throws -> Tensor
) rethrows -> (value: Tensor, gradient: [String: Tensor]) {
  let watch = ParameterWatch(module)
  let loss = try watch.run(body)
  precondition(loss.scalarCount == 1, "loss must have one element, has shape \(loss.shape)")
  let (grads, _) = watch.gradients(of: [loss], cotangents: [Tensor(repeating: 1, shape: loss.shape)])
  return (loss.stoppingGradient(), grads)
}
