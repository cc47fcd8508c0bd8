#if Distributed
import FTWAgent
import FTWAgentTestSupport
import FTWTensor
import FTWReverb
import FTWReverbClient
import Foundation
import Testing

/// Trains the run in `folder` (a new one of `configuration`, or the saved one) on what actors send
/// through `client` until it has trained on `frames` frames; returns its learner steps, its frames
/// before and after, and its weights.
private func learn(
  _ client: ReverbClient, folder: URL, configuration: TrainingConfiguration, frames: Int
) async throws -> (steps: Int, framesBefore: Int, framesAfter: Int, weights: WeightSnapshot) {
  try await onThread {
    let trainer: Trainer
    if FileManager.default.fileExists(atPath: folder.appendingPathComponent("configuration.json").path) {
      let (run, saved) = try RunFolder.open(at: folder)
      trainer = try Trainer(configuration: saved, run: run, resume: true)
    } else {
      let run = try RunFolder.create(at: folder, configuration: configuration)
      trainer = try Trainer(configuration: configuration, run: run, resume: false)
    }
    let before = trainer.frames
    let source = ReverbExperienceSource(
      client: client, configuration: trainer.configuration,
      stateLike: trainer.agent.network.initialState(batchSize: configuration.batchSize), publishInterval: 0)
    try trainer.train(budget: TrainingBudget(frames: frames), stop: StopSignal(), source: source) { _ in }
    let steps = trainer.learner.stepCount
    return (steps, before, trainer.frames, trainer.agent.snapshot(version: steps))
  }
}

/// Publishes the weights of an untrained agent of the distributed configuration to `weights_0`,
/// as a learner would, and returns the agent.
@discardableResult
private func publishUntrainedWeights(through client: ReverbClient) async throws -> Agent {
  let configuration = distributedConfiguration()
  var generator = RandomGenerator(seed: 1)
  let agent = try Agent(configuration: configuration, generator: &generator)
  let writer = client.writer()
  try await writer.insert(
    try WeightsColumns.encode(
      PublishedWeights(snapshot: agent.snapshot(version: 0), configuration: configuration)),
    table: ReverbTables.weights(0))
  try await writer.close()
  return agent
}

@Suite(.serialized) struct DistributedTrainingTests {
  @Test func aLearnerTrainsOnAnActorsTrajectoriesPublishesItsWeightsAndResumes() async throws {
    let server = try await ReverbTestServer.start(agents: 1, queueSize: 4)
    let client = try await ReverbClient.connect(to: server.address)
    let configuration = distributedConfiguration()
    let folder = temporaryRunFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let step = configuration.learning.unrollLength * configuration.batchSize

    // The actor starts first and waits for the learner's weights.
    let stop = StopSignal()
    let acting = play(client, index: 0, until: stop)
    let first = try await learn(client, folder: folder, configuration: configuration, frames: 3 * step)
    #expect(first.steps == 3 && first.framesBefore == 0 && first.framesAfter == 3 * step)

    // The weights table holds the learner's last weights, with the run's configuration.
    let sample = try #require(try await client.sample(table: ReverbTables.weights(0), count: 1).first)
    let published = try WeightsColumns.decode(sample.columns)
    #expect(published.configuration == configuration && published.population == nil)
    #expect(published.snapshot.version == 3)
    #expect(
      published.snapshot.tensors.mapValues(\.scalars) == first.weights.tensors.mapValues(\.scalars))

    // A learner started again on the folder resumes from its checkpoint and goes on with another
    // actor (the first one still plays).
    let again = play(client, index: 1, until: stop)
    let second = try await learn(client, folder: folder, configuration: configuration, frames: 5 * step)
    #expect(second.steps == 5 && second.framesBefore == 3 * step && second.framesAfter == 5 * step)
    stop.raise()
    try await acting.value
    try await again.value
    client.close()
    await server.stop()
  }

  @Test func aPopulationLearnsFromAnActorProcessThatMatchesByThePublishedRatings() async throws {
    let server = try await ReverbTestServer.start(agents: 2, queueSize: 4)
    let client = try await ReverbClient.connect(to: server.address)
    var configuration = distributedConfiguration()
    configuration.run.checkpointMinutes = 1000
    var population = PopulationConfiguration(size: 2)
    population.minimumFrames = 1_000_000
    // Half the games against bots rated 0, which every member is expected to beat: each draw with
    // them costs rating.
    population.botGames = 0.5
    population.botRating = 0
    let folder = temporaryRunFolder()
    defer { try? FileManager.default.removeItem(at: folder) }

    let stop = StopSignal()
    let acting = play(client, index: 0, until: stop)
    let trained = try await onThread { [population, configuration] in
      let run = try PopulationRun.create(at: folder, configuration: configuration, population: population)
      let trainer = try PopulationTrainer(
        configuration: configuration, population: population, run: run, resume: false)
      let source = ReverbExperienceSource(
        client: client, configuration: configuration, population: population,
        stateLike: trainer.members[0].agent.network.initialState(batchSize: configuration.batchSize),
        publishInterval: 0)
      try trainer.train(budget: TrainingBudget(frames: 400), stop: StopSignal(), source: source) { _ in }
      return (trainer.state, trainer.members.map(\.learner.stepCount))
    }
    stop.raise()
    try await acting.value
    // Both members learned from the actor's games, whose results moved their ratings.
    #expect(trained.0.frames >= 400 && trained.0.games > 0)
    #expect(trained.1.allSatisfy { $0 > 0 })
    #expect(trained.0.elo.ratings != [1000, 1000])
    // Each member's weights table holds its weights with the population and its last ratings.
    for member in 0..<2 {
      let sample = try #require(try await client.sample(table: ReverbTables.weights(member), count: 1).first)
      let published = try WeightsColumns.decode(sample.columns)
      #expect(published.population == population && published.configuration == configuration)
      #expect(published.snapshot.version == trained.1[member])
      #expect(published.ratings == trained.0.elo)
    }
    client.close()
    await server.stop()
  }

  @Test func anActorRidesOutAServerRestartedFromItsCheckpoint() async throws {
    let first = try await ReverbTestServer.start(agents: 1, queueSize: 1000)
    let client = try await ReverbClient.connect(to: first.address)
    try await publishUntrainedWeights(through: client)
    func queueSize(_ observer: ReverbClient) async throws -> Int {
      try #require(try await observer.serverInfo().first { $0.name == ReverbTables.trajectories(0) })
        .currentSize
    }
    func waitForQueue(above size: Int, _ observer: ReverbClient) async throws {
      var waits = 0
      while try await queueSize(observer) <= size, waits < 600 {
        try await Task.sleep(for: .milliseconds(100))
        waits += 1
      }
    }

    let stop = StopSignal()
    let acting = play(client, index: 0, until: stop)
    try await waitForQueue(above: 1, client)
    await first.stop()
    // The same port and checkpoints: the queue and the weights come back, and the actor, which
    // retried meanwhile on its own connection, goes on inserting.
    let second = try await ReverbTestServer.start(
      agents: 1, queueSize: 1000, checkpointDirectory: first.checkpointDirectory, port: first.address.port)
    let observer = try await ReverbClient.connect(to: second.address)
    let restored = try await queueSize(observer)
    #expect(restored >= 2)
    try await waitForQueue(above: restored, observer)
    #expect(try await queueSize(observer) > restored)
    stop.raise()
    try await acting.value
    observer.close()
    client.close()
    await second.stop()
  }

  @Test func killingAnActorProcessLosesNoConfirmedTrajectory() async throws {
    let ftw = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("ftw")
    try #require(
      FileManager.default.isExecutableFile(atPath: ftw.path),
      "the ftw executable is built beside the tests (swift build --traits Distributed)")
    let server = try await ReverbTestServer.start(agents: 1, queueSize: 1000)
    let client = try await ReverbClient.connect(to: server.address)
    // Weights as a learner publishes them; nobody samples the queue.
    let agent = try await publishUntrainedWeights(through: client)
    let configuration = agent.configuration

    func queue() async throws -> ReverbTableInfo {
      try #require(try await client.serverInfo().first { $0.name == ReverbTables.trajectories(0) })
    }
    func startActor(index: Int) throws -> Process {
      let process = Process()
      process.executableURL = ftw
      process.arguments = ["actor", "--server", "\(server.address)", "--index", "\(index)"]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      return process
    }
    func waitForInserts(atLeast count: Int) async throws {
      var waits = 0
      while try await queue().insertCount < count, waits < 600 {
        try await Task.sleep(for: .milliseconds(100))
        waits += 1
      }
      #expect(try await queue().insertCount >= count)
    }

    let first = try startActor(index: 0)
    try await waitForInserts(atLeast: 3)
    kill(first.processIdentifier, SIGKILL)
    first.waitUntilExit()
    // Every insert the server completed (confirmed to the actor) is in the queue.
    let confirmed = try await queue().insertCount
    #expect(try await queue().currentSize == confirmed)

    let second = try startActor(index: 1)
    try await waitForInserts(atLeast: confirmed + 2)
    second.interrupt()
    second.waitUntilExit()
    #expect(second.terminationStatus == 0)
    let all = try await queue()
    #expect(all.currentSize == all.insertCount && all.currentSize >= confirmed + 2)
    // Every queued trajectory is whole.
    let state = agent.network.initialState(batchSize: configuration.batchSize)
    for sample in try await client.sample(table: ReverbTables.trajectories(0), count: all.currentSize) {
      let experience = try ExperienceColumns.decode(sample.columns, stateLike: state)
      #expect(experience.member == 0 && experience.trajectory.discounts.shape == [6, 2])
    }
    client.close()
    await server.stop()
  }
}
#endif
