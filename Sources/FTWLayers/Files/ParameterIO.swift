import FTWTensor
import Foundation

extension Module {
  /// Sets every parameter from `file`, reading key `prefix + path` with paths under `naming`.
  ///
  /// Use `naming: .reference` for files keyed by the reference's object paths (a TensorFlow
  /// checkpoint converted to safetensors). Nothing changes unless every parameter is found with
  /// the right shape; otherwise the error names the file and the key. Keys the module does not
  /// have are ignored.
  ///
  /// ```swift
  /// try model.loadParameters(from: SafetensorsFile(contentsOf: url), naming: .reference)
  /// ```
  public func loadParameters(
    from file: SafetensorsFile, naming: ParameterNaming = .swift, prefix: String = ""
  ) throws {
    let entries = namedParameters(naming: naming)
    let values = try entries.map { entry in
      try file.tensor(prefix + entry.path, shape: entry.parameter.shape)
    }
    for (entry, value) in zip(entries, values) { entry.parameter.value = value }
  }

  /// Every parameter as a safetensors file, keyed by `prefix + path` under `naming`.
  public func parameterFile(naming: ParameterNaming = .swift, prefix: String = "") -> SafetensorsFile {
    var file = SafetensorsFile()
    for (path, parameter) in namedParameters(naming: naming) { file.set(prefix + path, parameter.value) }
    return file
  }

  /// Writes every parameter to `url` atomically (see ``parameterFile(naming:prefix:)``).
  public func saveParameters(to url: URL, naming: ParameterNaming = .swift) throws {
    try parameterFile(naming: naming).write(to: url)
  }
}
