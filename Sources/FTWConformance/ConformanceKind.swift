import FTWLayers
import FTWTensor

/// What a case runs: the module built from the case's config and a forward pass over its inputs.
public struct CaseModel {
  /// The module under test; its parameters load from the case's `params/` tensors.
  public let module: Module
  /// The forward pass: named inputs (floats watched for gradients) to named outputs, with the names
  /// the fixtures use (`y`, `hidden_seq`, `final/cell`, ...).
  public let forward: (CaseInputs) throws -> [String: Tensor]

  public init(module: Module, forward: @escaping (CaseInputs) throws -> [String: Tensor]) {
    self.module = module
    self.forward = forward
  }
}

/// A case's inputs by name (without the `inputs/` prefix).
public struct CaseInputs {
  public let floats: [String: Tensor]
  public let indices: [String: IndexTensor]
  /// The case's `noise/eps`, if it has one (RPTH's posterior noise `[T, B, D]`).
  public let noise: Tensor?
  let file: String

  /// The case's noise, which it must have.
  public func requiredNoise() throws -> Tensor {
    guard let noise else { throw ConformanceError.badCase("\(file): no noise/eps") }
    return noise
  }

  /// The float input `name`.
  public func float(_ name: String) throws -> Tensor {
    guard let tensor = floats[name] else {
      throw ConformanceError.badCase("\(file): no float input '\(name)'")
    }
    return tensor
  }

  /// The float input `name`, which must have rank `rank`.
  public func float(_ name: String, rank: Int) throws -> Tensor {
    let tensor = try float(name)
    guard tensor.rank == rank else {
      throw ConformanceError.badCase("\(file): input '\(name)' has shape \(tensor.shape), needs rank \(rank)")
    }
    return tensor
  }

  /// The float input `name`, which must have shape `shape` (an input that goes with another,
  /// whose shape sets the module's sizes).
  public func float(_ name: String, shape: [Int]) throws -> Tensor {
    let tensor = try float(name)
    guard tensor.shape == shape else {
      throw ConformanceError.badCase("\(file): input '\(name)' has shape \(tensor.shape), needs \(shape)")
    }
    return tensor
  }

  /// The case's noise, which it must have, of shape `shape`.
  public func requiredNoise(shape: [Int]) throws -> Tensor {
    let noise = try requiredNoise()
    guard noise.shape == shape else {
      throw ConformanceError.badCase("\(file): noise/eps has shape \(noise.shape), needs \(shape)")
    }
    return noise
  }

  /// The I32 input `name`.
  public func index(_ name: String) throws -> IndexTensor {
    guard let tensor = indices[name] else {
      throw ConformanceError.badCase("\(file): no I32 input '\(name)'")
    }
    return tensor
  }

  /// The I32 input `name`, of shape `shape`, every value in `0..<bound` (actions of `bound`
  /// choices).
  public func index(_ name: String, shape: [Int], below bound: Int) throws -> IndexTensor {
    let tensor = try index(name)
    guard tensor.shape == shape, tensor.scalars.allSatisfy({ (0..<Int32(clamping: bound)).contains($0) })
    else {
      throw ConformanceError.badCase(
        "\(file): input '\(name)' must be \(shape) in 0..<\(bound), got shape \(tensor.shape)")
    }
    return tensor
  }
}

/// A module kind the conformance suite knows how to build and run.
public struct ConformanceKind: Sendable {
  /// The `module` metadata value, e.g. `Linear`.
  public let name: String
  /// Builds the case's model from its config and inputs (for input sizes) and a seeded generator.
  public let build: @Sendable (CaseConfig, CaseInputs) throws -> CaseModel

  public init(name: String, build: @escaping @Sendable (CaseConfig, CaseInputs) throws -> CaseModel) {
    self.name = name
    self.build = build
  }
}
