import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Testing

/// A module shared by several parents is one set of parameters that every use sends gradient to.
@Suite struct ModuleSharingTests {
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
}
