import FTWAgent
import FTWEnvironments
import FTWLayers
import FTWNetworks
import FTWTensor
import Testing

@Suite struct AgentInputTests {
  @Test func timeStepsBecomeTheNetworksInput() throws {
    let game = try CaptureTheFlag(configuration: .init(teamSize: 1, viewSize: 8), seed: 4)
    let steps = game.reset()
    let actions = [[2, 1, 0, 1], [0, 2, 4, 0]]
    let input = try AgentInput(
      timeSteps: steps, previousActions: actions, observationSpec: game.observationSpec,
      actionSpec: game.actionSpec, rewardInput: .events)
    #expect(input.observation.shape == [2, 8, 8, 3])
    #expect(input.observation.bytes == steps.flatMap(\.observation.pixels))
    let scaled = input.networkInput.observation
    #expect(scaled.shape == [2, 8, 8, 3])
    #expect(scaled.scalars == steps.flatMap { $0.observation.pixels.map { Float($0) / 255 } })
    #expect(input.actions.map(\.scalars) == [[2, 0], [1, 2], [0, 4], [1, 0]])
    #expect(input.reward.shape == [2, GameEvent.allCases.count])
    let rewards = try AgentInput(
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
    let input = try AgentInput(
      timeSteps: game.reset(), previousActions: [CTFAction.none.components, CTFAction.none.components],
      observationSpec: game.observationSpec, actionSpec: game.actionSpec, rewardInput: .events)
    #expect(embed(input.networkInput).shape == [2, embed.outputSize])
  }

  @Test func mismatchedStepsAndActionsAreRefused() throws {
    let game = try CaptureTheFlag(configuration: .init(teamSize: 1, viewSize: 8), seed: 4)
    let steps = game.reset()
    let spec = game.observationSpec
    #expect(throws: EnvironmentError.self) {
      try AgentInput(
        timeSteps: steps, previousActions: [[1, 1, 2, 0]], observationSpec: spec, actionSpec: game.actionSpec,
        rewardInput: .events)
    }
    #expect(throws: EnvironmentError.self) {
      try AgentInput(
        timeSteps: steps, previousActions: [[1, 1, 2, 0], [1, 1, 9, 0]], observationSpec: spec,
        actionSpec: game.actionSpec, rewardInput: .events)
    }
    #expect(throws: EnvironmentError.self) {
      try AgentInput(
        timeSteps: steps, previousActions: [[1, 1, 2, 0], [1, 1, 2, 0]],
        observationSpec: ObservationSpec(height: 84, width: 84, eventNames: []), actionSpec: game.actionSpec,
        rewardInput: .events)
    }
  }

  @Test func pixelBytesScaleOnceAndStackAlongANewAxis() {
    let a = PixelBytes(shape: [1, 1, 2, 3], bytes: [0, 1, 2, 128, 254, 255])
    let b = PixelBytes(shape: [1, 1, 2, 3], bytes: [255, 0, 7, 7, 0, 255])
    #expect(a.frameSize == 6)
    #expect(a.scaled().shape == [1, 1, 2, 3])
    #expect(a.scaled().scalars == a.bytes.map { Float($0) / 255 })
    let both = PixelBytes.stacked([a, b])
    #expect(both.shape == [2, 1, 1, 2, 3] && both.bytes == a.bytes + b.bytes)
  }

  @Test func inputsStackIntoATrajectory() throws {
    let game = try CaptureTheFlag(configuration: .init(teamSize: 1, viewSize: 8), seed: 4)
    let steps = game.reset()
    let step = try AgentInput(
      timeSteps: steps, previousActions: [[2, 1, 0, 1], [0, 2, 4, 0]], observationSpec: game.observationSpec,
      actionSpec: game.actionSpec, rewardInput: .events)
    let trajectory = AgentInput.stacked([step, step, step])
    #expect(trajectory.observation.shape == [3, 2, 8, 8, 3])
    #expect(trajectory.actions.map(\.shape) == Array(repeating: [3, 2], count: 4))
    #expect(trajectory.actions[2].scalars == [0, 4, 0, 4, 0, 4])
    #expect(trajectory.reward.shape == [3, 2, GameEvent.allCases.count])
    #expect(trajectory.networkInput.observation.shape == [3, 2, 8, 8, 3])
  }
}
