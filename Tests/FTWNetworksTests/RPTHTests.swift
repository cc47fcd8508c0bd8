import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct RPTHTests {
  @Test func sampleUsesTheSuppliedNoise() throws {
    var g = RandomGenerator(seed: 1)
    let rpth = try RPTH(
      inputSize: 3, period: [2], options: VariationalUnitOptions(hiddenSize: 4, numDimensions: 2),
      generator: &g)
    let x = random([2, 3])
    let eps = random([2, 2], seed: 3)
    let (output, next) = rpth.step(x, rpth.initialState(batchSize: 2), noise: eps)
    let posterior = output.distributionParameters[1]
    #expect(output.z.isIdentical(to: posterior.loc + posterior.scale * eps))
    #expect(next.z.isIdentical(to: output.z))
    #expect(output.distributionParameters.count == 2)
  }

  /// `unroll` computes the fast core's gates in parts and reuses the slow cores' part between
  /// their updates; stepping computes them whole. Two slow cores, rows at different phases.
  @Test func unrollMatchesSteppingInValuesAndGradients() throws {
    var g = RandomGenerator(seed: 14)
    let rpth = try RPTH(
      inputSize: 3, period: [4, 2], options: VariationalUnitOptions(hiddenSize: 5, numDimensions: 3),
      generator: &g)
    let inputs = random([7, 2, 3], seed: 15)
    let noise = random([7, 2, 3], seed: 16)
    var start = rpth.initialState(batchSize: 2)
    start.step = Tensor([0, 1])
    func unrolled() -> Tensor {
      let output = rpth.unroll(inputs, start, noise: noise).output
      return output.z.sum()
        + output.distributionParameters.map { $0.loc.squared().sum() }.reduce(Tensor(0), +)
    }
    func stepped() -> Tensor {
      var state = start
      var total = Tensor(0)
      for t in 0..<7 {
        let (output, next) = rpth.step(inputs.element(t), state, noise: noise.element(t))
        total =
          total + output.z.sum()
          + output.distributionParameters.map { $0.loc.squared().sum() }.reduce(Tensor(0), +)
        state = next
      }
      return total
    }
    let (a, gradientA) = valueWithGradient(of: rpth, unrolled)
    let (b, gradientB) = valueWithGradient(of: rpth, stepped)
    #expect(abs(a.scalar - b.scalar) <= 1e-4 * max(1, abs(b.scalar)))
    #expect(gradientA.keys.sorted() == gradientB.keys.sorted())
    for (path, expected) in gradientB {
      #expect(close(gradientA[path]!, expected.scalars, 1e-4), "\(path)")
    }
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
