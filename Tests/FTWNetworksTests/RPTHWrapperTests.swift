import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Testing

@Suite struct RPTHWrapperTests {
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

  @Test func finishedEpisodesRestartFromTheInitialState() throws {
    // An actor resets the rows whose episode ended: per-row selection over the whole RPTH state.
    var g = RandomGenerator(seed: 2)
    let memory = try MemoryAccess(inputSize: 4, memorySize: 3, wordSize: 2, generator: &g)
    let rpth = try RPTH(
      inputSize: 3, period: [2], options: VariationalUnitOptions(hiddenSize: 4, numDimensions: 2),
      sharedMemory: memory, generator: &g)
    let initial = rpth.initialState(batchSize: 2)
    var state = initial
    for _ in 0..<3 { state = rpth(random([2, 3]), state).1 }
    let ended = Tensor([0, 1])
    let reset = TensorStructures.selectRows(ended, initial, state)
    #expect(reset.step.scalars == [3, 0])
    #expect(reset.z.slice(0..<1, alongAxis: 0).isIdentical(to: state.z.slice(0..<1, alongAxis: 0)))
    #expect(reset.z.slice(1..<2, alongAxis: 0).scalars.allSatisfy { $0 == 0 })
    let memoryRows = reset.coreState.accessState!.memory.unstacked()
    #expect(memoryRows[1].scalars.allSatisfy { $0 == 0 })
    #expect(memoryRows[0].isIdentical(to: state.coreState.accessState!.memory.element(0)))
    let names = reset.namedTensors().map(\.name)
    #expect(
      names.contains("core_state/controller_state/1/hidden") && names.contains("output/1")
        && names.contains("step"))
    let output = rpth(random([2, 3]), reset).0
    let doubled = output.mapped { $0 * 2 }
    #expect(doubled.z.isIdentical(to: output.z * 2))
  }

  @Test func nonFiniteGradientScaleIsRejected() {
    var g = RandomGenerator(seed: 3)
    #expect(
      throws: ModuleError(
        module: "RPTH", argument: "scale_gradients_fast_to_slow", message: "must be finite, got nan")
    ) {
      try RPTH(
        inputSize: 3, period: [2], options: VariationalUnitOptions(hiddenSize: 4, numDimensions: 2),
        scaleGradientsFastToSlow: .nan,
        generator: &g)
    }
  }
}
