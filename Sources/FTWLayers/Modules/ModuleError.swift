/// A module's constructor argument that is not allowed, named with what is allowed.
///
/// ```swift
/// do { _ = try Linear(inputSize: 4, outputSize: 0, generator: &g) }
/// catch { print(error) }   // Linear: output_size must be positive, got 0
/// ```
public struct ModuleError: Error, CustomStringConvertible, Equatable {
  /// The module kind, e.g. `Linear`.
  public let module: String
  /// The argument, as the reference spells it, e.g. `output_size`.
  public let argument: String
  /// What was wrong and what is allowed.
  public let message: String

  public init(module: String, argument: String, message: String) {
    self.module = module
    self.argument = argument
    self.message = message
  }

  public var description: String { "\(module): \(argument) \(message)" }

  /// Throws unless `value > 0`.
  public static func requirePositive(_ value: Int, _ argument: String, in module: String) throws {
    guard value > 0 else {
      throw ModuleError(module: module, argument: argument, message: "must be positive, got \(value)")
    }
  }

  /// Throws unless both extents are positive.
  public static func requirePositive(_ value: Extent2D, _ argument: String, in module: String) throws {
    guard value.height > 0, value.width > 0 else {
      throw ModuleError(module: module, argument: argument, message: "must be positive, got \(value)")
    }
  }
}
