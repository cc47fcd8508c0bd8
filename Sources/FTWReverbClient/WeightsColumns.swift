import FTWAgent
import FTWReverb
import FTWTensor
import Foundation

/// A learner's published weights as the columns of one Reverb item, and back: what a distributed
/// learner inserts into a member's `weights_i` table and its actors sample. The item also carries
/// the run's configuration, so an actor needs nothing but the server's address. Needs no gRPC.
///
/// The columns, each with a time axis of one step:
///
/// | column | type | shape |
/// | --- | --- | --- |
/// | the metadata (version, slow-core period, configuration, parameter paths), as JSON | uint8 | `[1, n]` |
/// | each parameter, in the order of the metadata's paths | float32 | `[1, ...]` |
///
/// ```swift
/// let columns = try WeightsColumns.encode(agent.snapshot(version: 12), configuration: configuration)
/// try await writer.insert(columns, table: "weights_0")
/// // on an actor:
/// let (snapshot, configuration) = try WeightsColumns.decode(sample.columns)
/// ```
public enum WeightsColumns {
  /// Why columns could not be made into weights.
  public struct FormatError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
  }

  private struct Metadata: Codable {
    var version: Int
    var slowCorePeriod: Float
    var configuration: TrainingConfiguration
    var paths: [String]
  }

  /// The columns of `snapshot` and the configuration of the agent it comes from.
  public static func encode(_ snapshot: WeightSnapshot, configuration: TrainingConfiguration) throws
    -> [ReverbTensor]
  {
    let paths = snapshot.tensors.keys.sorted()
    let metadata = Metadata(
      version: snapshot.version, slowCorePeriod: snapshot.slowCorePeriod, configuration: configuration,
      paths: paths)
    let json = [UInt8](try JSONEncoder().encode(metadata))
    var columns = [try ReverbTensor(json, shape: [1, json.count])]
    for path in paths {
      let tensor = snapshot.tensors[path]!
      columns.append(try ReverbTensor(tensor.scalars, shape: [1] + tensor.shape))
    }
    return columns
  }

  /// The snapshot and configuration of `columns`. Throws on columns of the wrong number, types or
  /// metadata; the caller checks the snapshot against its agent (``Agent/check(_:)``).
  public static func decode(_ columns: [ReverbTensor]) throws -> (WeightSnapshot, TrainingConfiguration) {
    guard let first = columns.first, first.dataType == .uint8, first.shape.count == 2, first.shape[0] == 1
    else { throw FormatError("an item of \(columns.count) columns without weights' metadata") }
    let metadata: Metadata
    do {
      metadata = try JSONDecoder().decode(Metadata.self, from: Data(first.bytes))
    } catch {
      throw FormatError("the weights' metadata is not readable: \(error)")
    }
    try metadata.configuration.validate()
    guard metadata.paths.count == columns.count - 1, Set(metadata.paths).count == metadata.paths.count else {
      throw FormatError(
        "the weights' metadata names \(metadata.paths.count) parameters; the item has \(columns.count - 1)")
    }
    var tensors: [String: Tensor] = [:]
    for (path, column) in zip(metadata.paths, columns.dropFirst()) {
      guard column.dataType == .float32, column.shape.first == 1 else {
        throw FormatError("the weights' \(path) is not a float32 tensor of one step")
      }
      tensors[path] = Tensor(shape: Array(column.shape.dropFirst()), scalars: try column.floats())
    }
    let snapshot = WeightSnapshot(
      version: metadata.version, tensors: tensors, slowCorePeriod: metadata.slowCorePeriod)
    return (snapshot, metadata.configuration)
  }
}
