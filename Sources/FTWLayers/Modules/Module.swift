import FTWTensor

/// A node of a model: it owns parameters and child modules, each under a key, and computes
/// something with them.
///
/// Keys chain into *paths* (`torso/layers/0/w`) that name every parameter for saving, loading and
/// optimiser state. Every key also has its *reference name*, the attribute the Python reference
/// (Sonnet) stores it under (`_torso`, `_layers/0`, `w`), so checkpoints of the reference load by
/// path (see ``ParameterNaming``). A child may be shared by several parents, as in Sonnet; it is
/// listed once, under its shortest path (ties broken by sorted reference name), which is where
/// TensorFlow checkpoints store it.
///
/// ```swift
/// final class TwoLayers: Module {
///   let first: Linear, second: Linear
///   init(generator: inout RandomGenerator) throws {
///     first = try Linear(inputSize: 4, outputSize: 8, generator: &generator)
///     second = try Linear(inputSize: 8, outputSize: 2, generator: &generator)
///     super.init(name: "two_layers")
///     register(first, as: "first")
///     register(second, as: "second")
///   }
///   func callAsFunction(_ x: Tensor) -> Tensor { second(first(x).relu()) }
/// }
/// ```
open class Module {
  /// The module's name (Sonnet's `name`), informative only.
  public let name: String
  private var ownedParameters: [(key: String, reference: String, parameter: Parameter)] = []
  private var children: [(key: String, reference: String, module: Module)] = []

  public init(name: String) {
    self.name = name
  }

  /// Registers `parameter` under `key`; `reference` is the reference's attribute name (default `key`).
  @discardableResult
  public func register(_ parameter: Parameter, as key: String, reference: String? = nil) -> Parameter {
    precondition(!ownedParameters.contains { $0.key == key }, "parameter \(key) registered twice")
    ownedParameters.append((key, reference ?? key, parameter))
    return parameter
  }

  /// Registers `child` under `key`; `reference` is the reference's attribute name (default `_key`).
  @discardableResult
  public func register<M: Module>(_ child: M, as key: String, reference: String? = nil) -> M {
    precondition(!children.contains { $0.key == key }, "child \(key) registered twice")
    children.append((key, reference ?? "_" + key, child))
    return child
  }

  /// Every parameter reachable from this module, once each, with its path under `naming`.
  ///
  /// The order is breadth-first with keys sorted by reference name, the order TensorFlow's
  /// checkpoints use.
  public func namedParameters(naming: ParameterNaming = .swift) -> [(path: String, parameter: Parameter)] {
    var seenModules = Set<ObjectIdentifier>([ObjectIdentifier(self)])
    var seenParameters = Set<ObjectIdentifier>()
    var result: [(String, Parameter)] = []
    var queue: [(prefix: String, module: Module)] = [("", self)]
    var head = 0
    while head < queue.count {
      let (prefix, module) = queue[head]
      head += 1
      for entry in module.ownedParameters.sorted(by: { $0.reference < $1.reference })
      where seenParameters.insert(ObjectIdentifier(entry.parameter)).inserted {
        result.append((prefix + naming.segment(key: entry.key, reference: entry.reference), entry.parameter))
      }
      for entry in module.children.sorted(by: { $0.reference < $1.reference })
      where seenModules.insert(ObjectIdentifier(entry.module)).inserted {
        queue.append(
          (prefix + naming.segment(key: entry.key, reference: entry.reference) + "/", entry.module))
      }
    }
    return result
  }

  /// The trainable parameters by path.
  public func trainableParameters(naming: ParameterNaming = .swift) -> [(path: String, parameter: Parameter)]
  {
    namedParameters(naming: naming).filter { $0.parameter.isTrainable }
  }

  /// The parameter at `path`, if any.
  public func parameter(at path: String, naming: ParameterNaming = .swift) -> Parameter? {
    namedParameters(naming: naming).first { $0.path == path }?.parameter
  }

  /// The current values of every parameter by path.
  public func parameterValues(naming: ParameterNaming = .swift) -> [String: Tensor] {
    Dictionary(uniqueKeysWithValues: namedParameters(naming: naming).map { ($0.path, $0.parameter.value) })
  }

  /// The number of scalars in all parameters.
  public var parameterCount: Int {
    namedParameters().map { $0.parameter.shape.reduce(1, *) }.reduce(0, +)
  }
}
