import FTWAgent
import FTWAgentTestSupport
import FTWTensor
import Testing

@Suite struct TrajectorySpecTests {
  /// A real actor's experience of `policy` and the spec of its configuration.
  private func experience(_ policy: PolicyKind = .decomposed) throws -> (Experience, TrajectorySpec) {
    let configuration = tinyConfiguration(policy: policy)
    let actor = try GameActor(configuration: configuration, index: 0)
    let experience = try actor.experiences()[0]
    return (experience, TrajectorySpec(configuration: configuration))
  }

  @Test(arguments: PolicyKind.allCases)
  func anActorsExperienceFits(policy: PolicyKind) throws {
    let (experience, spec) = try experience(policy)
    try spec.check(experience, members: 1)
  }

  @Test func anotherConfigurationsExperienceDoesNot() throws {
    let (experience, _) = try experience()
    var larger = tinyConfiguration()
    larger.world.viewSize = 48
    #expect(throws: TrainingError.self) {
      try TrajectorySpec(configuration: larger).check(experience, members: 1)
    }
    var longer = tinyConfiguration()
    longer.learning.unrollLength = 10
    #expect(throws: TrainingError.self) {
      try TrajectorySpec(configuration: longer).check(experience, members: 1)
    }
    #expect(throws: TrainingError.self) {
      try TrajectorySpec(configuration: tinyConfiguration(policy: .flat)).check(experience, members: 1)
    }
  }

  /// Each damage of a fitting experience, by what it breaks.
  static let damages: [(String, @Sendable (inout Experience) -> Void)] = [
    ("member beyond the run", { $0.member = 1 }),
    ("action out of range", { $0.trajectory.actions = $0.trajectory.actions.replacing(0, with: 7) }),
    ("negative action", { $0.trajectory.actions = $0.trajectory.actions.replacing(3, with: -1) }),
    (
      "previous action out of range",
      { $0.trajectory.inputs.actions[0] = $0.trajectory.inputs.actions[0].replacing(1, with: 3) }
    ),
    ("event not finite", { $0.trajectory.rewards = $0.trajectory.rewards.replacing(2, with: .nan) }),
    (
      "previous event infinite",
      { $0.trajectory.inputs.reward = $0.trajectory.inputs.reward.replacing(0, with: .infinity) }
    ),
    ("discount above 1", { $0.trajectory.discounts = $0.trajectory.discounts.replacing(0, with: 2) }),
    (
      "huge logit", { $0.trajectory.behaviourLogits = $0.trajectory.behaviourLogits.replacing(0, with: 1e30) }
    ),
    (
      "state not finite",
      { $0.trajectory.initialState = $0.trajectory.initialState.mapped { $0.replacing(0, with: .nan) } }
    ),
    (
      "events of another width",
      { $0.trajectory.rewards = Tensor(zeros: Array($0.trajectory.rewards.shape.dropLast()) + [3]) }
    ),
    (
      "a game of an unknown member",
      { $0.games = [GameRecord(members: [[0], [5]], scores: [1, 0], pickups: [1, 0])] }
    ),
    (
      "a game of negative score",
      { $0.games = [GameRecord(members: [[0], []], scores: [-1, 0], pickups: [0, 0])] }
    ),
  ]

  @Test(arguments: damages.indices)
  func aDamagedExperienceIsRefused(damage: Int) throws {
    var (experience, spec) = try experience()
    Self.damages[damage].1(&experience)
    #expect(throws: TrainingError.self, "\(Self.damages[damage].0)") {
      try spec.check(experience, members: 1)
    }
  }
}

extension Tensor {
  /// A copy with element `index` (of the flat scalars) set to `value`.
  fileprivate func replacing(_ index: Int, with value: Float) -> Tensor {
    var scalars = self.scalars
    scalars[index] = value
    return Tensor(shape: shape, scalars: scalars)
  }
}

extension IndexTensor {
  /// A copy with element `index` (of the flat scalars) set to `value`.
  fileprivate func replacing(_ index: Int, with value: Int32) -> IndexTensor {
    var scalars = self.scalars
    scalars[index] = value
    return IndexTensor(shape: shape, scalars: scalars)
  }
}
