import FTWAgent
import FTWEnvironments
import FTWLayers
import FTWNetworks
import FTWTensor
import Testing

@Suite struct EnvironmentInputTests {
  @Test func timeStepsBecomeTheNetworksInput() throws {
    let game = try CaptureTheFlag(configuration: .init(teamSize: 1, viewSize: 8), seed: 4)
    let steps = game.reset()
    let actions = [[2, 1, 0, 1], [0, 2, 4, 0]]
    let input = try ObservationActionReward(
      timeSteps: steps, previousActions: actions, observationSpec: game.observationSpec,
      actionSpec: game.actionSpec, rewardInput: .events)
    #expect(input.observation.shape == [2, 8, 8, 3])
    #expect(input.observation.scalars == steps.flatMap { $0.observation.pixels.map { Float($0) / 255 } })
    #expect(input.actions.map(\.scalars) == [[2, 0], [1, 2], [0, 4], [1, 0]])
    #expect(input.reward.shape == [2, GameEvent.allCases.count])
    let rewards = try ObservationActionReward(
      timeSteps: steps, previousActions: actions, observationSpec: game.observationSpec,
      actionSpec: game.actionSpec, rewardInput: .reward)
    #expect(rewards.reward.shape == [2, 1])
  }

  @Test func theInputFeedsAnEmbeddingOfTheGamesSizes() throws {
    let game = try CaptureTheFlag(configuration: .init(teamSize: 1), seed: 4)
    var generator = RandomGenerator(seed: 1)
    let rewards = try InternalRewards(
      numEvents: GameEvent.allCases.count, initialValue: .logUniform(lower: 0.1, upper: 1),
      generator: &generator)
    let embed = try OAREmbedding(
      torso: FtwTorso(generator: &generator), numActions: game.actionSpec.componentCounts,
      internalRewards: rewards, rewardSize: GameEvent.allCases.count)
    let input = try ObservationActionReward(
      timeSteps: game.reset(), previousActions: [CTFAction.none.components, CTFAction.none.components],
      observationSpec: game.observationSpec, actionSpec: game.actionSpec, rewardInput: .events)
    #expect(embed(input).shape == [2, embed.outputSize])
  }

  @Test func mismatchedStepsAndActionsAreRefused() throws {
    let game = try CaptureTheFlag(configuration: .init(teamSize: 1, viewSize: 8), seed: 4)
    let steps = game.reset()
    let spec = game.observationSpec
    #expect(throws: EnvironmentError.self) {
      try ObservationActionReward(
        timeSteps: steps, previousActions: [[1, 1, 2, 0]], observationSpec: spec, actionSpec: game.actionSpec,
        rewardInput: .events)
    }
    #expect(throws: EnvironmentError.self) {
      try ObservationActionReward(
        timeSteps: steps, previousActions: [[1, 1, 2, 0], [1, 1, 9, 0]], observationSpec: spec,
        actionSpec: game.actionSpec, rewardInput: .events)
    }
    #expect(throws: EnvironmentError.self) {
      try ObservationActionReward(
        timeSteps: steps, previousActions: [[1, 1, 2, 0], [1, 1, 2, 0]],
        observationSpec: ObservationSpec(height: 84, width: 84, eventNames: []), actionSpec: game.actionSpec,
        rewardInput: .events)
    }
  }
}
