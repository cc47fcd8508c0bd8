import FTWAgent
import FTWAgentTestSupport
import FTWLayers
import FTWReverb
import FTWReverbClient
import FTWTensor
import Testing

@Suite struct ExperienceColumnsTests {
  @Test(arguments: PolicyKind.allCases)
  func anActorsExperienceRoundTripsExactly(policy: PolicyKind) throws {
    let actor = try GameActor(configuration: tinyConfiguration(policy: policy), index: 0)
    // The second trajectory starts from a state the first one left: not zeros.
    _ = try actor.nextTrajectory()
    let trajectory = try actor.nextTrajectory()
    let games = [GameRecord(members: [[0], []], scores: [2, 1], pickups: [3, 1])]
    let experience = Experience(member: 3, trajectory: trajectory, games: games, weightsVersion: 17)
    let columns = try ExperienceColumns.encode(experience)
    #expect(columns[2].dataType == .uint8 && columns[2].shape == trajectory.inputs.observation.shape)

    let back = try ExperienceColumns.decode(
      columns, stateLike: trajectory.initialState.mapped { Tensor(zeros: $0.shape) })
    #expect(back.member == 3 && back.weightsVersion == 17 && back.games == games)
    let (a, b) = (experience.trajectory, back.trajectory)
    #expect(b.inputs.observation.shape == a.inputs.observation.shape)
    #expect(b.inputs.observation.bytes == a.inputs.observation.bytes)
    #expect(b.inputs.actions.map(\.scalars) == a.inputs.actions.map(\.scalars))
    #expect(b.inputs.reward.scalars == a.inputs.reward.scalars)
    #expect(b.actions.shape == a.actions.shape && b.actions.scalars == a.actions.scalars)
    #expect(b.rewards.scalars == a.rewards.scalars && b.discounts.scalars == a.discounts.scalars)
    #expect(b.behaviourLogits.scalars == a.behaviourLogits.scalars)
    let (leavesA, leavesB) = (a.initialState.namedTensors(), b.initialState.namedTensors())
    #expect(leavesA.map(\.name) == leavesB.map(\.name))
    #expect(leavesA.map(\.tensor.shape) == leavesB.map(\.tensor.shape))
    #expect(leavesA.map(\.tensor.scalars) == leavesB.map(\.tensor.scalars))
    #expect(leavesA.contains { $0.tensor.scalars.contains { $0 != 0 } })

    // A template of another batch size takes the item's (a population member's batch varies).
    let ofOne = try ExperienceColumns.decode(
      columns, stateLike: trajectory.initialState.mapped { Tensor(zeros: [1] + $0.shape.dropFirst()) })
    #expect(
      ofOne.trajectory.initialState.namedTensors().map(\.tensor.scalars) == leavesA.map(\.tensor.scalars))
  }

  @Test func malformedColumnsAreRefused() throws {
    let actor = try GameActor(configuration: tinyConfiguration(policy: .decomposed), index: 0)
    let trajectory = try actor.nextTrajectory()
    let columns = try ExperienceColumns.encode(
      Experience(member: 0, trajectory: trajectory, games: [], weightsVersion: 0))
    let state = trajectory.initialState
    #expect(throws: ExperienceColumns.FormatError.self) {
      try ExperienceColumns.decode(Array(columns.dropLast()), stateLike: state)
    }
    #expect(throws: ExperienceColumns.FormatError.self) {
      try ExperienceColumns.decode(Array(columns.dropFirst()), stateLike: state)
    }
    // Columns of steps must agree with the observation's [T + 1, B].
    var shortRewards = columns
    let rewards = columns[columns.count - 5 - state.namedTensors().count + 2]
    shortRewards[columns.count - 5 - state.namedTensors().count + 2] = try ReverbTensor(
      Array(try rewards.floats().dropLast(rewards.shape.dropFirst().reduce(1, *))),
      shape: [rewards.shape[0] - 1] + rewards.shape.dropFirst())
    #expect(throws: ExperienceColumns.FormatError.self) {
      try ExperienceColumns.decode(shortRewards, stateLike: state)
    }
    var badGames = columns
    let json = Array(#"{"members":[[[0]]],"scores":[],"pickups":[]}"#.utf8)
    badGames[1] = try ReverbTensor(json, shape: [1, json.count])
    #expect(throws: ExperienceColumns.FormatError.self) {
      try ExperienceColumns.decode(badGames, stateLike: state)
    }
  }
}

#if Distributed
@Suite struct ExperienceThroughReverbTests {
  @Test func anExperienceCrossesTheServerIntact() async throws {
    let server = try await ReverbTestServer.shared.value
    let client = try await ReverbClient.connect(to: server.address)
    defer { client.close() }
    let actor = try GameActor(
      configuration: tinyConfiguration(policy: .decomposed), index: 0)
    _ = try actor.nextTrajectory()
    let trajectory = try actor.nextTrajectory()
    let experience = Experience(
      member: 5, trajectory: trajectory,
      games: [GameRecord(members: [[5], [5]], scores: [0, 0], pickups: [1, 2])],
      weightsVersion: 4)
    let columns = try ExperienceColumns.encode(experience)
    let writer = client.writer()
    try await writer.insert(columns, table: ReverbTables.trajectories(5))
    try await writer.close()
    let sample = try #require(try await client.sample(table: ReverbTables.trajectories(5), count: 1).first)
    // Columns of one step (the header, the games, the state) and of T + 1 went in separate chunks.
    #expect(sample.columns == columns)
    let back = try ExperienceColumns.decode(sample.columns, stateLike: trajectory.initialState)
    #expect(back.member == 5 && back.weightsVersion == 4 && back.games == experience.games)
    #expect(back.trajectory.behaviourLogits.scalars == trajectory.behaviourLogits.scalars)
  }
}
#endif
