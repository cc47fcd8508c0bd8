#if Distributed
import FTWAgent
import FTWAgentTestSupport
import FTWEnvironments
import FTWReverb
import FTWReverbClient
import FTWTensor
import Foundation
import Synchronization
import Testing

/// Items that no learner can train on, each named by what is wrong with it, made from the columns
/// of a real experience of `configuration`.
private func malformedItems(_ configuration: TrainingConfiguration) throws -> [(String, [ReverbTensor])] {
  let experience = try GameActor(configuration: configuration, index: 7).experiences()[0]
  let good = try ExperienceColumns.encode(experience)
  let leaves = experience.trajectory.initialState.namedTensors().count
  // The columns' places (ExperienceColumns' table): header, games, observation, K previous
  // actions, previous events, actions, events, discounts, logits, the state's leaves.
  let groups = experience.trajectory.inputs.actions.count
  let (actions, events, discounts, logits) = (4 + groups, 5 + groups, 6 + groups, 7 + groups)
  let firstLeaf = 8 + groups
  let header = try good[0].int32s()
  var generator = SplitMix64(seed: 3)
  let garbage = (0..<997).map { _ in UInt8(truncatingIfNeeded: generator.next()) }

  func replacing(_ index: Int, _ column: ReverbTensor) -> [ReverbTensor] {
    var columns = good
    columns[index] = column
    return columns
  }
  func floats(_ index: Int, setting position: Int, to value: Float) throws -> [ReverbTensor] {
    var scalars = try good[index].floats()
    scalars[position] = value
    return replacing(index, try ReverbTensor(scalars, shape: good[index].shape))
  }
  let observation = good[2].shape
  var otherConfiguration = configuration
  otherConfiguration.network.coreHiddenSize *= 2
  var generatorForOther = RandomGenerator(seed: 9)
  let other = try Agent(configuration: otherConfiguration, generator: &generatorForOther)
  var actionScalars = try good[actions].int32s()
  actionScalars[0] = 99
  return [
    ("garbage bytes", [try ReverbTensor(garbage, shape: [garbage.count])]),
    ("no header", Array(good.dropFirst())),
    ("a column missing", Array(good.dropLast())),
    ("a float32 header", replacing(0, try ReverbTensor(header.map(Float.init), shape: [1, 4]))),
    (
      "a header of one state leaf too many",
      replacing(0, try ReverbTensor([header[0], header[1], header[2], Int32(leaves + 1)], shape: [1, 4]))
    ),
    (
      "a member beyond the run",
      replacing(0, try ReverbTensor([5, header[1], header[2], header[3]], shape: [1, 4]))
    ),
    ("games of garbage bytes", replacing(1, try ReverbTensor(garbage, shape: [1, garbage.count]))),
    (
      "a float32 observation",
      replacing(
        2, try ReverbTensor([Float](repeating: 0, count: observation.reduce(1, *)), shape: observation))
    ),
    (
      "another view size",
      replacing(
        2,
        try ReverbTensor(
          [UInt8](repeating: 0, count: observation[0] * observation[1] * 16 * 16 * 3),
          shape: [observation[0], observation[1], 16, 16, 3]))
    ),
    (
      "events one step short",
      replacing(
        events,
        try ReverbTensor(
          Array(try good[events].floats().dropFirst(good[events].shape.dropFirst().reduce(1, *))),
          shape: [good[events].shape[0] - 1] + good[events].shape.dropFirst()))
    ),
    (
      "an action out of range",
      replacing(actions, try ReverbTensor(actionScalars, shape: good[actions].shape))
    ),
    ("a NaN event", try floats(events, setting: 0, to: .nan)),
    ("a discount of 2", try floats(discounts, setting: 1, to: 2)),
    ("an infinite logit", try floats(logits, setting: 2, to: .infinity)),
    (
      "a state leaf of another shape",
      replacing(firstLeaf, try ReverbTensor([Float](repeating: 0, count: 3), shape: [1, 1, 3]))
    ),
    (
      "weights of another configuration",
      try WeightsColumns.encode(
        PublishedWeights(snapshot: other.snapshot(version: 4), configuration: otherConfiguration))
    ),
  ]
}

@Suite(.serialized) struct MalformedItemTests {
  @Test func malformedItemsAreCountedAndSkippedWhileTheLearnerGoesOn() async throws {
    let server = try await ReverbTestServer.start(agents: 1, queueSize: 2)
    let client = try await ReverbClient.connect(to: server.address)
    let configuration = distributedConfiguration()
    let folder = temporaryRunFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let items = try malformedItems(configuration)
    #expect(items.count >= 10)

    let trainer = try Trainer(
      configuration: configuration, run: try RunFolder.create(at: folder, configuration: configuration),
      resume: false)
    let logged = Mutex<[String]>([])
    let source = ReverbExperienceSource(
      client: client, configuration: configuration,
      stateLike: trainer.agent.network.initialState(batchSize: configuration.batchSize),
      log: { message in logged.withLock { $0.append(message) } })
    let stop = StopSignal()
    let steps = Atomic<Int>(0)
    nonisolated(unsafe) let learner = trainer
    let learning = Task {
      try await onThread {
        try learner.train(budget: TrainingBudget(), stop: stop, source: source) { progress in
          steps.store(progress.learnerSteps, ordering: .relaxed)
        }
      }
    }
    // A real actor plays beside Python's client, which inserts the malformed items.
    let acting = play(client, index: 0, until: stop)
    let input = try JSONEncoder().encode(items.map { $0.1.map(PeerColumn.init) })
    _ = try await runPythonPeer(
      [
        "write", "--server", "\(server.address)", "--table", ReverbTables.trajectories(0), "--writer",
        "insert",
      ],
      input: input)
    let deadline = Date().addingTimeInterval(120)
    while source.skippedItems < items.count, Date() < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    let stepsAtLastSkip = steps.load(ordering: .relaxed)
    while steps.load(ordering: .relaxed) < stepsAtLastSkip + 3, Date() < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    stop.raise()
    try await learning.value
    try await acting.value
    client.close()
    await server.stop()

    #expect(source.skippedItems == items.count)
    #expect(steps.load(ordering: .relaxed) >= stepsAtLastSkip + 3, "the learner went on after the last skip")
    let skips = logged.withLock { $0 }.filter { $0.hasPrefix("skipped a malformed item of trajectories_0") }
    #expect(skips.count == items.count, "\(logged.withLock { $0 })")
  }
}
#endif
