import FTWAgent
import FTWReverb
import FTWTensor
import Foundation

/// What a distributed learner publishes for its actors in a member's `weights_i` table: the
/// member's weights, the run's configuration and, for a population, the population's
/// configuration and ratings (for matchmaking), so an actor needs nothing but the server's
/// address.
public struct PublishedWeights: Sendable {
  /// The member's weights.
  public var snapshot: WeightSnapshot
  /// The run's (every member's) configuration.
  public var configuration: TrainingConfiguration
  /// The population, when the run trains one.
  public var population: PopulationConfiguration?
  /// The population's ratings when the weights were published.
  public var ratings: EloRatings?

  /// Creates a publication.
  public init(
    snapshot: WeightSnapshot, configuration: TrainingConfiguration,
    population: PopulationConfiguration? = nil, ratings: EloRatings? = nil
  ) {
    self.snapshot = snapshot
    self.configuration = configuration
    self.population = population
    self.ratings = ratings
  }
}

/// ``PublishedWeights`` as the columns of one Reverb item, and back. Needs no gRPC.
///
/// The columns, each with a time axis of one step:
///
/// | column | type | shape |
/// | --- | --- | --- |
/// | the metadata (version, slow-core period, configurations, ratings, parameter paths), as JSON | uint8 | `[1, n]` |
/// | each parameter, in the order of the metadata's paths | float32 | `[1, ...]` |
///
/// ```swift
/// let columns = try WeightsColumns.encode(
///   PublishedWeights(snapshot: agent.snapshot(version: 12), configuration: configuration))
/// try await writer.insert(columns, table: ReverbTables.weights(0))
/// // on an actor:
/// let published = try WeightsColumns.decode(sample.columns)
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
    var population: PopulationConfiguration?
    var ratings: EloRatings?
    var paths: [String]
  }

  /// The columns of `published`.
  public static func encode(_ published: PublishedWeights) throws -> [ReverbTensor] {
    let snapshot = published.snapshot
    let paths = snapshot.tensors.keys.sorted()
    let metadata = Metadata(
      version: snapshot.version, slowCorePeriod: snapshot.slowCorePeriod,
      configuration: published.configuration, population: published.population,
      ratings: published.ratings, paths: paths)
    let json = [UInt8](try JSONEncoder().encode(metadata))
    var columns = [try ReverbTensor(json, shape: [1, json.count])]
    for path in paths {
      let tensor = snapshot.tensors[path]!
      columns.append(try ReverbTensor(tensor.scalars, shape: [1] + tensor.shape))
    }
    return columns
  }

  /// The publication of `columns`. Throws on columns of the wrong number, types or metadata; the
  /// caller checks the snapshot against its agent (``GameActor/check(_:)``).
  public static func decode(_ columns: [ReverbTensor]) throws -> PublishedWeights {
    guard let first = columns.first, first.dataType == .uint8, first.shape.count == 2, first.shape[0] == 1
    else { throw FormatError("an item of \(columns.count) columns without weights' metadata") }
    let metadata: Metadata
    do {
      metadata = try JSONDecoder().decode(Metadata.self, from: Data(first.bytes))
    } catch {
      throw FormatError("the weights' metadata is not readable: \(error)")
    }
    try metadata.configuration.validate()
    if let population = metadata.population {
      try population.validate()
      guard metadata.ratings.map({ $0.ratings.count == population.size }) ?? true else {
        throw FormatError("the weights' ratings are not one per member of the population")
      }
    }
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
    return PublishedWeights(
      snapshot: WeightSnapshot(
        version: metadata.version, tensors: tensors, slowCorePeriod: metadata.slowCorePeriod),
      configuration: metadata.configuration, population: metadata.population, ratings: metadata.ratings)
  }
}
