import FTWAgent
import FTWEnvironments
import FTWReverb
import FTWReverbClient
import FTWTensor
import Foundation

/// The seeds made by the package's own writers, for the targets whose real inputs no file in the
/// repository holds: `ftw-fuzz seeds DIR` writes them under `DIR/<target>/`. (The others' seeds
/// are the fixtures, layouts and run files copied as they are.) Given `columns`, it also writes
/// each Reverb item's columns there as `<target>.json` for Python's client to insert
/// (`Scripts/capture_reverb_seeds.py`).
///
/// ```swift
/// try SeedCorpus.write(to: URL(fileURLWithPath: "Fuzz/Corpus"))
/// ```
enum SeedCorpus {
  static func write(to folder: URL, columns: URL? = nil) throws {
    var keys = RandomGenerator(seed: 7)
    let actor = try GameActor(configuration: TinyRun.configuration, index: 0)
    let trajectory = try actor.nextTrajectory()
    let games = [GameRecord(members: [[0], []], scores: [1, 0], pickups: [2, 1])]
    let experience = Experience(member: 0, trajectory: trajectory, games: games, weightsVersion: 3)
    let learner = try TinyRun.learner()
    var generator = RandomGenerator(seed: 1)
    let agent = try Agent(configuration: TinyRun.configuration, generator: &generator)
    let weights = PublishedWeights(snapshot: agent.snapshot(version: 3), configuration: TinyRun.configuration)
    let items = [
      ("reverb-trajectories", try ExperienceColumns.encode(experience)),
      ("reverb-weights", try WeightsColumns.encode(weights)),
    ]
    for (target, item) in items {
      if let columns {
        try FileManager.default.createDirectory(at: columns, withIntermediateDirectories: true)
        try JSONEncoder().encode([item.map(PeerColumn.init)]).write(
          to: columns.appendingPathComponent("\(target).json"))
      }
      for deltaEncoded in [false, true] {
        let request = TrajectoryWriter.request(
          inserting: item, table: target, priority: 1, deltaEncoded: deltaEncoded, keys: &keys)
        try save(try sampled(request).serializedBytes(), target, "item-delta-\(deltaEncoded)")
      }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    for (name, configuration) in [("tiny", TinyRun.configuration), ("default", TrainingConfiguration())] {
      try save(try encoder.encode(configuration), "run-configs", name)
    }
    try save(try encoder.encode(PopulationConfiguration()), "population-configs", "default")
    let store = CheckpointStore(url: ScratchFolder.make("seed-checkpoint"))
    try learner.save(
      to: store, configuration: TinyRun.configuration.checkpointEntries,
      generators: ["actor": RandomGenerator(seed: 2)], counters: ["frames": 100, "games": 1])
    try save(
      try Data(contentsOf: store.manifestURL(step: 0)), "checkpoint-manifests",
      "tiny")

    for name in Arena.layoutNames {
      try save(Data(try Arena.named(name).layout.utf8), "arena-layouts", name)
    }
    for (name, dataType, shape, deltaEncoded) in [
      ("uint8-delta", ReverbTensor.DataType.uint8, [3, 2, 2], true), ("float32", .float32, [2, 3], false),
    ] {
      let count = shape.reduce(1, *) * dataType.size
      let tensor = try ReverbTensor(
        dataType: dataType, shape: shape, bytes: (0..<count).map { UInt8($0 * 7 % 256) })
      let input = ChunkTensorInput(
        dataType: dataType, deltaEncoded: deltaEncoded, shape: shape,
        content: TensorCompression.compress(tensor, deltaEncoded: deltaEncoded))
      try save(Data(input.bytes), "chunk-tensors", name)
    }

    func save(_ data: Data, _ target: String, _ name: String) throws {
      let url = folder.appendingPathComponent(target)
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      try data.write(to: url.appendingPathComponent(name))
    }
  }

  /// The sample stream's message that hands out `request`'s item with its chunks.
  private static func sampled(_ request: Deepmind_Reverb_InsertStreamRequest)
    -> Deepmind_Reverb_SampleStreamResponse
  {
    var entry = Deepmind_Reverb_SampleStreamResponse.SampleEntry()
    entry.info.item = request.items[0]
    entry.info.probability = 1
    entry.info.tableSize = 1
    entry.data = request.chunks
    entry.endOfSequence = true
    var response = Deepmind_Reverb_SampleStreamResponse()
    response.entries = [entry]
    return response
  }
}
