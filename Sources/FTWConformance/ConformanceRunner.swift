import FTWLayers
import FTWTensor
import Foundation

/// The outcome of one case.
public struct ConformanceResult: Sendable {
  /// The file name without `.safetensors`.
  public let name: String
  /// The module kind, or `?` when the file could not be read.
  public let kind: String
  /// The largest `max|x - r|` over the outputs, when they were computed.
  public let outputError: Float?
  /// The largest `max|x - r|` over the gradients, when they were computed.
  public let gradientError: Float?
  /// Why the case failed, or `nil` when it passed.
  public let failure: String?

  public var passed: Bool { failure == nil }

  /// One line: name, kind, worst errors, PASS or FAIL and why.
  public var line: String {
    func figure(_ value: Float?) -> String { value.map { String(format: "%.2e", $0) } ?? "-" }
    let verdict = failure.map { "FAIL (\($0))" } ?? "PASS"
    func padded(_ text: String, _ width: Int) -> String {
      text.padding(toLength: Swift.max(width, text.count), withPad: " ", startingAt: 0)
    }
    return
      "\(padded(name, 40)) \(padded(kind, 36)) out \(figure(outputError))  grad \(figure(gradientError))  \(verdict)"
  }
}

/// Runs conformance cases: reference modules' weights, inputs, outputs and gradients stored as
/// safetensors, reproduced by this package (see the fixtures' README for the format).
///
/// A case passes when every output and gradient it lists matches:
/// `max|x - r| <= atol + rtol * max(1, max|r|)`, `atol = 1e-5`, `rtol = 1e-4` for outputs and
/// `1e-3` for gradients.
///
/// ```swift
/// let results = try ConformanceRunner().run(directory: URL(fileURLWithPath: "conformance"))
/// print(results.filter(\.passed).count)
/// ```
public struct ConformanceRunner: Sendable {
  public static let absoluteTolerance: Float = 1e-5
  public static let outputRelativeTolerance: Float = 1e-4
  public static let gradientRelativeTolerance: Float = 1e-3

  /// The kinds this runner can build, by name.
  public let kinds: [String: ConformanceKind]

  public init(kinds: [ConformanceKind] = ConformanceRunner.builtinKinds) {
    self.kinds = Dictionary(uniqueKeysWithValues: kinds.map { ($0.name, $0) })
  }

  /// Every kind this package implements.
  public static let builtinKinds: [ConformanceKind] =
    PrimitiveKinds.all + NetworkKinds.all + RecurrentKinds.all + TrainingKinds.all

  /// The paths, relative to `directory`, of the `*.safetensors` files whose name contains
  /// `filter`, sorted: those directly in it, and with `recursive` those in its subfolders too
  /// (`training/adam.safetensors`).
  public func casePaths(in directory: URL, filter: String? = nil, recursive: Bool = false) throws -> [String]
  {
    let manager = FileManager.default
    let paths: [String]
    do {
      paths =
        try recursive
        ? manager.subpathsOfDirectory(atPath: directory.path)
        : manager.contentsOfDirectory(atPath: directory.path)
    } catch {
      throw ConformanceError.badCase(
        "\(directory.path): cannot list the folder: \(error.localizedDescription)")
    }
    return paths.filter { path in
      let name = (path as NSString).lastPathComponent
      return name.hasSuffix(".safetensors") && (filter.map(name.contains) ?? true)
    }
    .sorted()
  }

  /// Runs every case of ``casePaths(in:filter:recursive:)``, calling `report` after each. A case
  /// is named by its path from `directory` without the extension (`training/adam`).
  public func run(
    directory: URL, filter: String? = nil, recursive: Bool = false,
    report: (ConformanceResult) -> Void = { _ in }
  ) throws -> [ConformanceResult] {
    try casePaths(in: directory, filter: filter, recursive: recursive).map { path in
      let result = run(
        directory.appendingPathComponent(path), name: String(path.dropLast(".safetensors".count)))
      report(result)
      return result
    }
  }

  /// Runs one case file, named by its file name. Never throws: every problem becomes a failed
  /// result.
  public func run(file url: URL) -> ConformanceResult {
    run(url, name: url.deletingPathExtension().lastPathComponent)
  }

  private func run(_ url: URL, name: String) -> ConformanceResult {
    do {
      return run(try SafetensorsFile(contentsOf: url), name: name)
    } catch {
      return ConformanceResult(
        name: name, kind: "?", outputError: nil, gradientError: nil, failure: "\(error)")
    }
  }

  /// Runs one case already read, reporting it as `name`. Never throws: every problem, from an
  /// unknown kind to a configuration the kind refuses, becomes a failed result.
  public func run(_ file: SafetensorsFile, name: String) -> ConformanceResult {
    let kindName = file.metadata["module"] ?? "?"
    do {
      guard let kind = kinds[kindName] else { throw ConformanceError.notImplemented(kind: kindName) }
      let errors = try evaluate(file, kind: kind)
      return ConformanceResult(
        name: name, kind: kindName, outputError: errors.outputs, gradientError: errors.gradients,
        failure: errors.failure)
    } catch {
      return ConformanceResult(
        name: name, kind: kindName, outputError: nil, gradientError: nil, failure: "\(error)")
    }
  }

  private struct Comparison {
    var outputs: Float = 0
    var gradients: Float = 0
    var failure: String?
  }

  private func evaluate(_ file: SafetensorsFile, kind: ConformanceKind) throws -> Comparison {
    let config = try CaseConfig(
      json: file.metadata["config"] ?? "{}", sizeLimit: file.values.values.flatMap(\.shape).max() ?? 1,
      countLimit: file.values.count)
    var floats: [String: Tensor] = [:]
    var indices: [String: IndexTensor] = [:]
    for key in file.keys where key.hasPrefix("inputs/") {
      let name = String(key.dropFirst("inputs/".count))
      switch file.values[key]! {
      case .float(let tensor): floats[name] = tensor.watched()
      case .int32(let tensor): indices[name] = tensor
      }
    }
    let noise = file.values["noise/eps"] == nil ? nil : try file.tensor("noise/eps")
    let inputs = CaseInputs(floats: floats, indices: indices, noise: noise, file: file.name)
    let model = try kind.build(config, inputs)

    // Parameters: the file's and the module's must be the same set.
    let ours = Set(model.module.namedParameters(naming: .reference).map(\.path))
    let theirs = Set(
      file.keys.filter { $0.hasPrefix("params/") }.map { String($0.dropFirst("params/".count)) })
    if let extra = theirs.subtracting(ours).sorted().first {
      throw ConformanceError.badCase("the module has no parameter '\(extra)' (it has \(ours.sorted()))")
    }
    try model.module.loadParameters(from: file, naming: .reference, prefix: "params/")

    let watch = ParameterWatch(model.module)
    let outputs = try watch.run { try model.forward(inputs) }
    var comparison = Comparison()
    /// Compares `computed` with the reference at `key`; returns the error, records the first failure.
    func check(_ label: String, _ computed: Tensor?, against key: String, relative: Float) throws -> Float {
      // An I32 reference (class labels) must match exactly.
      let exact: Bool
      let reference: Tensor
      if case .int32(let indices) = file.values[key] {
        (exact, reference) = (true, Tensor(shape: indices.shape, scalars: indices.scalars.map(Float.init)))
      } else {
        (exact, reference) = (false, try file.tensor(key))
      }
      guard let computed else {
        comparison.failure = comparison.failure ?? "no \(label) computed"
        return 0
      }
      guard computed.shape == reference.shape else {
        comparison.failure =
          comparison.failure ?? "\(label) has shape \(computed.shape), reference \(reference.shape)"
        return 0
      }
      let (error, tolerance) = Self.deviation(computed, reference, relative: relative)
      let bound = exact ? 0 : tolerance
      if !(error <= bound) {
        comparison.failure =
          comparison.failure
          ?? "\(label) off by \(String(format: "%.3e", error)) > \(String(format: "%.3e", bound))"
      }
      return error.isNaN ? .infinity : error
    }
    for key in file.keys where key.hasPrefix("outputs/") {
      let name = String(key.dropFirst("outputs/".count))
      let error = try check(
        "output \(name)", outputs[name], against: key, relative: Self.outputRelativeTolerance)
      comparison.outputs = Swift.max(comparison.outputs, error)
    }
    // Gradients: the vector-Jacobian product with the file's cotangents.
    var roots: [Tensor] = []
    var cotangents: [Tensor] = []
    for key in file.keys where key.hasPrefix("cotangents/") {
      let name = String(key.dropFirst("cotangents/".count))
      guard let output = outputs[name] else {
        throw ConformanceError.badCase("cotangent for output '\(name)', which the module does not produce")
      }
      roots.append(output)
      cotangents.append(try file.tensor(key, shape: output.shape))
    }
    let inputNames = floats.keys.sorted()
    let (parameterGradients, inputGradients) = watch.gradients(
      of: roots, cotangents: cotangents, inputs: inputNames.map { floats[$0]! })
    let referencePaths = Dictionary(
      uniqueKeysWithValues: zip(
        model.module.namedParameters(naming: .swift).map(\.path),
        model.module.namedParameters(naming: .reference).map(\.path)))
    var computedGradients: [String: Tensor] = [:]
    for (path, gradient) in parameterGradients {
      computedGradients["params/" + referencePaths[path]!] = gradient
    }
    for (name, gradient) in zip(inputNames, inputGradients) { computedGradients["inputs/" + name] = gradient }
    for key in file.keys where key.hasPrefix("grads/") {
      let name = String(key.dropFirst("grads/".count))
      let error = try check(
        "gradient \(name)", computedGradients[name], against: key, relative: Self.gradientRelativeTolerance)
      comparison.gradients = Swift.max(comparison.gradients, error)
    }
    return comparison
  }

  /// `max|x - r|` and the bound it must not exceed, `atol + rtol * max(1, max|r|)`.
  public static func deviation(_ x: Tensor, _ r: Tensor, relative: Float) -> (error: Float, bound: Float) {
    var error: Float = 0
    var magnitude: Float = 1
    x.withUnsafeBufferPointer { xs in
      r.withUnsafeBufferPointer { rs in
        for i in 0..<rs.count {
          let difference = Swift.abs(xs[i] - rs[i])
          if difference.isNaN || error.isNaN {
            error = .nan
          } else {
            error = Swift.max(error, difference)
          }
          magnitude = Swift.max(magnitude, Swift.abs(rs[i]))
        }
      }
    }
    return (error, absoluteTolerance + relative * magnitude)
  }
}
