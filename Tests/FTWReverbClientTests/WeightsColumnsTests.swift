import FTWAgent
import FTWAgentTestSupport
import FTWLayers
import FTWReverb
import FTWReverbClient
import FTWTensor
import Testing

@Suite struct WeightsColumnsTests {
  @Test func weightsAndConfigurationRoundTripExactly() throws {
    let configuration = tinyConfiguration()
    var generator = RandomGenerator(seed: 3)
    let agent = try Agent(configuration: configuration, generator: &generator)
    let snapshot = agent.snapshot(version: 42)
    var elo = EloRatings(count: 3)
    elo.ratings = [1010, 990.5, 1000]
    let population = PopulationConfiguration(size: 3)
    let columns = try WeightsColumns.encode(
      PublishedWeights(snapshot: snapshot, configuration: configuration, population: population, ratings: elo)
    )
    #expect(columns.count == snapshot.tensors.count + 1)
    #expect(columns.allSatisfy { $0.shape.first == 1 })

    let published = try WeightsColumns.decode(columns)
    #expect(published.population == population && published.ratings == elo)
    let (back, backConfiguration) = (published.snapshot, published.configuration)
    #expect(backConfiguration == configuration)
    #expect(back.version == 42 && back.slowCorePeriod == snapshot.slowCorePeriod)
    #expect(back.tensors.keys.sorted() == snapshot.tensors.keys.sorted())
    for (path, tensor) in snapshot.tensors {
      #expect(back.tensors[path]?.shape == tensor.shape && back.tensors[path]?.scalars == tensor.scalars)
    }
    // Another agent of the configuration takes them, and then acts as the first.
    var other = RandomGenerator(seed: 4)
    let copy = try Agent(configuration: backConfiguration, generator: &other)
    try copy.check(back)
    copy.load(back)
    #expect(copy.snapshot(version: 0).tensors.mapValues(\.scalars) == snapshot.tensors.mapValues(\.scalars))
  }

  @Test func malformedWeightsAreRefused() throws {
    let configuration = tinyConfiguration()
    var generator = RandomGenerator(seed: 3)
    let agent = try Agent(configuration: configuration, generator: &generator)
    let columns = try WeightsColumns.encode(
      PublishedWeights(snapshot: agent.snapshot(version: 1), configuration: configuration))
    #expect(throws: WeightsColumns.FormatError.self) { try WeightsColumns.decode(Array(columns.dropLast())) }
    #expect(throws: WeightsColumns.FormatError.self) { try WeightsColumns.decode(Array(columns.dropFirst())) }
    #expect(throws: WeightsColumns.FormatError.self) { try WeightsColumns.decode([]) }
    var garbled = columns
    garbled[0] = try ReverbTensor(Array("{\"version\":".utf8), shape: [1, 11])
    #expect(throws: WeightsColumns.FormatError.self) { try WeightsColumns.decode(garbled) }
    // Ratings that are not one per member.
    let lopsided = try WeightsColumns.encode(
      PublishedWeights(
        snapshot: agent.snapshot(version: 1), configuration: configuration,
        population: PopulationConfiguration(size: 4), ratings: EloRatings(count: 3)))
    #expect(throws: WeightsColumns.FormatError.self) { try WeightsColumns.decode(lopsided) }

    // Weights of another network are refused by the agent instead of crashing it.
    var wider = configuration
    wider.network.coreHiddenSize = 32
    var otherGenerator = RandomGenerator(seed: 5)
    let other = try Agent(configuration: wider, generator: &otherGenerator)
    #expect(throws: TrainingError.self) { try agent.check(other.snapshot(version: 0)) }
    var missing = agent.snapshot(version: 0)
    missing.tensors.removeValue(forKey: missing.tensors.keys.sorted()[0])
    #expect(throws: TrainingError.self) { try agent.check(missing) }
    var badPeriod = agent.snapshot(version: 0)
    badPeriod.slowCorePeriod = 0
    #expect(throws: (any Error).self) { try agent.check(badPeriod) }
  }
}
