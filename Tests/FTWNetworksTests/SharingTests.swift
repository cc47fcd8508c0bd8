import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Testing

/// A small torso for 12x12 RGB frames.
func smallTorso(_ g: inout RandomGenerator) throws -> FtwTorso {
  try FtwTorso(
    observationShape: [12, 12, 3], convFilters: [ConvFilter(4, 4, 2)], residualFilters: [ConvFilter(4, 3, 1)],
    hiddenSize: 8, generator: &g)
}

/// A trajectory `[T, B]` of random frames, actions and rewards.
func trajectory(_ t: Int, _ b: Int, actions: Int, seed: UInt64) -> ObservationActionReward {
  var g = RandomGenerator(seed: seed)
  let observation = Tensor(randomUniform: [t, b, 12, 12, 3], generator: &g)
  let action = IndexTensor(
    shape: [t, b], scalars: (0..<(t * b)).map { _ in Int32(g.next() % UInt64(actions)) })
  return ObservationActionReward(
    observation: observation, action: action, reward: Tensor(randomNormal: [t, b], generator: &g))
}

/// The FTW network and a pixel-control network sharing one torso, as the FTW agent has them.
final class AgentNetworks: Module {
  let policy: FtwNetwork
  let pixelControl: RNNPixelControlNetwork<LSTM>

  init(generator g: inout RandomGenerator) throws {
    let torso = try smallTorso(&g)
    let embed = try OAREmbedding(torso: torso, numActions: [4])
    let rpth = try RPTH(
      inputSize: embed.outputSize, period: [2],
      options: VariationalUnitOptions(hiddenSize: 6, numDimensions: 5), generator: &g)
    policy = try FtwNetwork(embed: embed, core: rpth, numActions: 4, headHiddenSize: 7, generator: &g)
    pixelControl = try RNNPixelControlNetwork(
      embed: torso, core: LSTM(inputSize: torso.hiddenSize, hiddenSize: 5, generator: &g), numActions: 4,
      generator: &g)
    super.init(name: "agent")
    register(policy, as: "policy")
    register(pixelControl, as: "pixel_control")
  }
}

@Suite struct SharingTests {
  @Test func sharedMemoryIsOneSetOfParameters() throws {
    var g = RandomGenerator(seed: 1)
    let memory = try MemoryAccess(
      inputSize: 6, memorySize: 4, wordSize: 3, numReads: 2, numWrites: 2, generator: &g)
    let rpth = try RPTH(
      inputSize: 5, period: [4, 2], options: VariationalUnitOptions(hiddenSize: 6, numDimensions: 3),
      sharedMemory: memory, generator: &g)
    let paths = rpth.namedParameters().map(\.path)
    let memoryPaths = paths.filter { $0.contains("write_vectors") }
    #expect(memoryPaths == ["shared_memory/write_vectors/b", "shared_memory/write_vectors/w"])
    #expect(!paths.contains { $0.hasPrefix("variational_units/") && $0.contains("/access/") })
    // Three cores, one memory: counting parameters counts the memory once.
    let unique = rpth.namedParameters().map { $0.parameter.shape.reduce(1, *) }.reduce(0, +)
    #expect(rpth.parameterCount == unique)
    // Every core reads the same memory: the gradient for the memory is one tensor per parameter,
    // and all three cores contribute to it.
    let x = random([3, 2, 5])
    let noise = random([3, 2, 3], seed: 2)
    let (_, gradient) = valueWithGradient(of: rpth) {
      rpth.unroll(x, rpth.initialState(batchSize: 2), noise: noise).output.z.sum()
    }
    #expect(gradient.keys.filter { $0.hasPrefix("shared_memory/") }.count == 20)
    #expect(gradient["shared_memory/read_keys/w"]!.abs().sum().scalar > 0)
  }

  @Test func sharedTorsoReceivesGradientFromBothNetworks() throws {
    var g = RandomGenerator(seed: 3)
    let agent = try AgentNetworks(generator: &g)
    #expect(agent.policy.embed.torso === agent.pixelControl.embed)
    let steps = trajectory(3, 2, actions: 4, seed: 4)
    let noise = random([3, 2, 5], seed: 5)
    func policyLoss() -> Tensor {
      agent.policy.unroll(steps, agent.policy.initialState(batchSize: 2), noise: noise).output.value.sum()
    }
    func pixelLoss() -> Tensor {
      agent.pixelControl.unroll(steps.observation, agent.pixelControl.initialState(batchSize: 2)).q.mean()
    }
    // A shared module is listed once, under its shortest path (as TensorFlow checkpoints store it):
    // `pixel_control/embed` (depth 2) rather than `policy/embed/torso` (depth 3).
    let key = "pixel_control/embed/linear/w"
    let fromPolicy = valueWithGradient(of: agent, policyLoss).gradient[key]!
    let fromPixels = valueWithGradient(of: agent, pixelLoss).gradient[key]!
    let fromBoth = valueWithGradient(of: agent) { policyLoss() + pixelLoss() }.gradient[key]!
    #expect(fromPolicy.abs().sum().scalar > 0)
    #expect(fromPixels.abs().sum().scalar > 0)
    #expect(close(fromBoth, (fromPolicy + fromPixels).scalars, 1e-4))
    #expect(!agent.namedParameters().contains { $0.path.hasPrefix("policy/embed/torso/") })
  }

  @Test func periodicUnitHoldsItsStateBetweenUpdates() throws {
    var g = RandomGenerator(seed: 6)
    let unit = try PeriodicVariationalUnit(
      period: 3, inputSize: 2, options: VariationalUnitOptions(hiddenSize: 4, numDimensions: 2), generator: &g
    )
    var state = unit.initialState(batchSize: 2)
    var previous: (LocScaleDistributionParameters, PeriodicRNNState<VariationalCoreState>)?
    for step in 0..<8 {
      let (output, next) = unit(random([2, 2], seed: UInt64(10 + step)), state)
      #expect(next.step.scalars == [Float(step + 1), Float(step + 1)])
      if let (lastOutput, lastState) = previous {
        let held = step % 3 != 0
        #expect(output.loc.isIdentical(to: lastOutput.loc) == held, "step \(step)")
        #expect(next.coreState.hidden.isIdentical(to: lastState.coreState.hidden) == held, "step \(step)")
      }
      previous = (output, next)
      state = next
    }
  }

  @Test func rowsUpdateByTheirOwnCountersAndHeldStepsPassGradientsThrough() throws {
    var g = RandomGenerator(seed: 8)
    let unit = try PeriodicVariationalUnit(
      period: 3, inputSize: 2, options: VariationalUnitOptions(hiddenSize: 4, numDimensions: 2), generator: &g
    )
    var state = unit.initialState(batchSize: 2)
    state.output = LocScaleDistributionParameters(
      loc: random([2, 2], seed: 9), scale: random([2, 2], seed: 10))
    let x = random([2, 2], seed: 11)
    // Row 0 at step 1 holds, row 1 at step 3 updates.
    state.step = Tensor([1, 3])
    let (mixed, _) = unit(x, state)
    #expect(mixed.loc.scalars[0..<2] == state.output.loc.scalars[0..<2])
    #expect(mixed.loc.scalars[2..<4] != state.output.loc.scalars[2..<4])
    let (_, mixedGradient) = valueWithGradient(of: unit) { unit(x, state).0.loc.sum() }
    #expect(mixedGradient.values.contains { $0.abs().sum().scalar > 0 })
    // No row updates: the held values come back as they were, and no gradient reaches the unit.
    state.step = Tensor([1, 2])
    let (held, next) = unit(x, state)
    #expect(held.loc.isIdentical(to: state.output.loc) && held.scale.isIdentical(to: state.output.scale))
    #expect(next.coreState.hidden.isIdentical(to: state.coreState.hidden))
    #expect(next.step.scalars == [2, 3])
    let (_, heldGradient) = valueWithGradient(of: unit) { unit(x, state).0.loc.sum() }
    #expect(heldGradient.values.allSatisfy { $0.abs().sum().scalar == 0 })
    let output = state.output.loc.watched()
    state.output.loc = output
    let cotangent = random([2, 2], seed: 12)
    let passed = gradients(of: [unit(x, state).0.loc], cotangents: [cotangent], withRespectTo: [output])
    #expect(passed[0].scalars == cotangent.scalars)
  }

  @Test func periodCanChangeBetweenSteps() throws {
    var g = RandomGenerator(seed: 7)
    let unit = try PeriodicVariationalUnit(
      period: 3, inputSize: 2, options: VariationalUnitOptions(hiddenSize: 4, numDimensions: 2), generator: &g
    )
    try unit.setPeriod(1)
    var state = unit.initialState(batchSize: 1)
    var last: Tensor?
    for step in 0..<3 {
      let (output, next) = unit(random([1, 2], seed: UInt64(step)), state)
      if let last { #expect(!output.loc.isIdentical(to: last)) }
      last = output.loc
      state = next
    }
    #expect(
      throws: ModuleError(
        module: "PeriodicVariationalUnit", argument: "period", message: "must be positive, got 0.0")
    ) {
      try unit.setPeriod(0)
    }
  }
}
