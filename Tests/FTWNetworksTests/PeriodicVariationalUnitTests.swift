import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Testing

@Suite struct PeriodicVariationalUnitTests {
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
