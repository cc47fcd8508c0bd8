import FTWAgentTestSupport
import FTWEnvironments
import FTWTensor
import Testing

@testable import FTWAgent

/// The parts an actor keeps its agents in.
@Suite struct ActorPartsTests {
  private func snapshot(version: Int, seed: UInt64) throws -> WeightSnapshot {
    var generator = RandomGenerator(seed: seed)
    return try Agent(configuration: tinyConfiguration(), generator: &generator).snapshot(version: version)
  }

  /// Weights for a member that has not played wait, and are in its agent when it first plays.
  @Test func weightsForAMemberWaitUntilItFirstPlays() throws {
    let agents = try MemberAgents(configuration: tinyConfiguration(), actor: 0)
    #expect(agents.version(of: 0) == -1 && agents.version(of: 2) == -1)
    let weights = try snapshot(version: 5, seed: 3)
    agents.load(weights, member: 2)
    #expect(agents.version(of: 2) == 5 && agents.loadedVersion(of: 2) == -1)
    let agent = try agents.agent(for: 2)
    #expect(agents.loadedVersion(of: 2) == 5)
    #expect(agent.snapshot(version: 5).tensors.mapValues(\.scalars) == weights.tensors.mapValues(\.scalars))
    #expect(try agents.agent(for: 2) === agent)
  }

  /// The pool keeps one snapshot every `snapshotInterval` versions, the newest `snapshotPoolSize`,
  /// when the opponent draws snapshots, and none otherwise.
  @Test(arguments: OpponentKind.allCases)
  func thePoolKeepsEveryIntervalsSnapshotUpToItsSize(opponent: OpponentKind) throws {
    var configuration = tinyConfiguration()
    configuration.world.opponent = opponent
    configuration.acting.snapshotInterval = 10
    configuration.acting.snapshotPoolSize = 2
    let pool = SnapshotPool(configuration: configuration, keeps: opponent.drawsSnapshots)
    let base = try snapshot(version: 0, seed: 4)
    for version in [0, 5, 10, 19, 20, 30] {
      var next = base
      next.version = version
      pool.keep(next)
    }
    #expect(opponent.drawsSnapshots == [.snapshots, .mixed, .league].contains(opponent))
    guard opponent.drawsSnapshots else {
      #expect(pool.keptVersions.isEmpty)
      return
    }
    #expect(pool.keptVersions == [20, 30])
    var seeds = SplitMix64(seed: 1)
    let opponent = try pool.opponent(seeds: &seeds)
    #expect(try pool.opponent(seeds: &seeds) === opponent)
  }

  /// Each game's record names the members of each team (bots and snapshots left out) and counts
  /// each team's flag pick-ups.
  @Test func theTallyRecordsMembersScoresAndPickups() throws {
    var tally = GameTally(teamSize: 2)
    tally.start([
      [.member(0), .member(0), .bot(.random), .bot(.random)],
      [.member(1), .snapshot, .member(0), .member(2)],
    ])
    var step = TimeStep(
      stepType: .mid, reward: 0, discount: 1,
      observation: Observation(
        pixels: [], events: GameEvent.allCases.map { $0 == .iPickedUpFlag ? 1 : 0 }))
    let quiet = TimeStep(
      stepType: .mid, reward: 0, discount: 1,
      observation: Observation(pixels: [], events: Array(repeating: 0, count: GameEvent.allCases.count)))
    tally.count([[step, quiet, quiet, step], [quiet, quiet, step, quiet]])
    step.stepType = .last
    tally.count([[quiet, step, quiet, quiet], [quiet, quiet, quiet, quiet]])
    tally.finish(scores: [[2, 1], [0, 0]])
    #expect(
      tally.take() == [
        GameRecord(members: [[0, 0], []], scores: [2, 1], pickups: [2, 1]),
        GameRecord(members: [[1], [0, 2]], scores: [0, 0], pickups: [0, 1]),
      ])
    #expect(tally.take().isEmpty)
  }
}
