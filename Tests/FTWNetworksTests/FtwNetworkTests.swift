import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct FtwNetworkTests {
  func network(_ g: inout RandomGenerator) throws -> FtwNetwork {
    let embed = try OAREmbedding(torso: smallTorso(&g), numActions: [4])
    let rpth = try RPTH(
      inputSize: embed.outputSize, period: [3],
      options: VariationalUnitOptions(hiddenSize: 6, numDimensions: 5), generator: &g)
    return try FtwNetwork(embed: embed, core: rpth, numActions: 4, headHiddenSize: 7, generator: &g)
  }

  @Test func seededNoiseReplaysExactly() throws {
    var a = RandomGenerator(seed: 2)
    var b = RandomGenerator(seed: 2)
    let first = try network(&a)
    let second = try network(&b)
    let steps = trajectory(4, 2, actions: 4, seed: 9)
    let one = first.unroll(steps, first.initialState(batchSize: 2)).output
    let two = second.unroll(steps, second.initialState(batchSize: 2)).output
    #expect(one.coreOutput.z.isIdentical(to: two.coreOutput.z))
    second.core.generator = RandomGenerator(seed: 99)
    let three = second.unroll(steps, second.initialState(batchSize: 2)).output
    #expect(!three.coreOutput.z.isIdentical(to: one.coreOutput.z))
  }

  @Test func unrollEqualsSteppingOneStepAtATime() throws {
    var g = RandomGenerator(seed: 4)
    let net = try network(&g)
    let steps = trajectory(3, 2, actions: 4, seed: 5)
    let noise = random([3, 2, 5], seed: 6)
    let (unrolled, finalState) = net.unroll(steps, net.initialState(batchSize: 2), noise: noise)
    var state = net.initialState(batchSize: 2)
    for t in 0..<3 {
      let (output, next) = net.step(steps.step(t), state, noise: noise.element(t))
      #expect(close(output.logits, unrolled.logits.element(t).scalars, 1e-5))
      #expect(close(output.value, unrolled.value.element(t).scalars, 1e-5))
      state = next
    }
    #expect(close(state.z, finalState.z.scalars, 1e-5))
  }

  @Test func actingRecordsNoGraphAndSamplesValidActions() throws {
    var g = RandomGenerator(seed: 7)
    let net = try network(&g)
    let steps = trajectory(1, 16, actions: 4, seed: 8)
    let step = steps.step(0)
    var first = RandomGenerator(seed: 10)
    var second = RandomGenerator(seed: 10)
    let (action, logits, state) = net.selectAction(step, net.initialState(batchSize: 16), generator: &first)
    #expect(!logits.requiresGradient && !state.z.requiresGradient)
    #expect(action.shape == [16] && action.scalars.allSatisfy { (0..<4).contains($0) })
    #expect(net.selectAction(step, net.initialState(batchSize: 16), generator: &second).action == action)
  }

  @Test func weightsRoundTripUnderReferenceNames() throws {
    var g = RandomGenerator(seed: 11)
    let source = try network(&g)
    let target = try network(&g)
    let file = try withTemporaryFolder { folder in
      let url = folder.appendingPathComponent("network.safetensors")
      try source.saveParameters(to: url, naming: .reference)
      return try SafetensorsFile(contentsOf: url)
    }
    #expect(file.keys.contains("_core/_variational_units/1/_distribution/_scale_layer/w"))
    #expect(file.keys.contains("_embed/_torso/_conv_layers/_layers/0/w"))
    try target.loadParameters(from: file, naming: .reference)
    let steps = trajectory(2, 1, actions: 4, seed: 12)
    let noise = random([2, 1, 5], seed: 13)
    let a = source.unroll(steps, source.initialState(batchSize: 1), noise: noise).output.logits
    let b = target.unroll(steps, target.initialState(batchSize: 1), noise: noise).output.logits
    #expect(a.isIdentical(to: b))
  }
}
