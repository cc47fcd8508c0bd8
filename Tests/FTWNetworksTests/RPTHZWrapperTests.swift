import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct RPTHZWrapperTests {
  @Test func zWrapperDrivesPixelControl() throws {
    var g = RandomGenerator(seed: 1)
    let torso = try smallTorso(&g)
    let rpth = try RPTH(
      inputSize: torso.hiddenSize, period: [2],
      options: VariationalUnitOptions(hiddenSize: 6, numDimensions: 5), generator: &g)
    let core = RPTHZWrapper(rpth)
    #expect(core.outputSize == 5)
    let network = try RNNPixelControlNetwork(embed: torso, core: core, numActions: 3, generator: &g)
    let (q, final) = network.unroll(random([2, 3, 12, 12, 3]), network.initialState(batchSize: 3))
    #expect(q.shape == [2, 3, 20, 20, 3])
    #expect(final.step.scalars == [2, 2, 2])
    #expect(network.namedParameters().contains { $0.path.hasPrefix("core/core/variational_units/1/") })
    // The wrapper's output is the RPTH sample.
    rpth.generator = RandomGenerator(seed: 5)
    let (z, _) = core(random([3, 8]), core.initialState(batchSize: 3))
    rpth.generator = RandomGenerator(seed: 5)
    let (output, _) = rpth(random([3, 8]), rpth.initialState(batchSize: 3))
    #expect(z.isIdentical(to: output.z))
  }
}
