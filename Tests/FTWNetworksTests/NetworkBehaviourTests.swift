import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct NetworkBehaviourTests {
  func network(_ g: inout RandomGenerator) throws -> FtwNetwork {
    let embed = try OAREmbedding(torso: smallTorso(&g), numActions: [4])
    let rpth = try RPTH(
      inputSize: embed.outputSize, period: [3],
      options: VariationalUnitOptions(hiddenSize: 6, numDimensions: 5), generator: &g)
    return try FtwNetwork(embed: embed, core: rpth, numActions: 4, headHiddenSize: 7, generator: &g)
  }

  @Test func rpthSampleUsesTheSuppliedNoise() throws {
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

  /// `unroll` computes the fast core's gates in parts and reuses the slow cores' part between
  /// their updates; stepping computes them whole. Two slow cores, rows at different phases.
  @Test func rpthUnrollMatchesSteppingInValuesAndGradients() throws {
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

  @Test func internalRewards() throws {
    var g = RandomGenerator(seed: 14)
    let exact = try InternalRewards(numEvents: 3, initialValue: .exact(0.5), generator: &g)
    #expect(exact.values == [0.5, 0.5, 0.5])
    try exact.setValues([1, 2, 3])
    #expect(exact.reward(events: Tensor(shape: [2, 3], scalars: [1, 0, 0, 1, 1, 1])).scalars == [1, 6])
    let drawn = try InternalRewards(
      numEvents: 500, initialValue: .logUniform(lower: 0.01, upper: 1), generator: &g)
    let values = drawn.values
    #expect(values.allSatisfy { $0 >= 0.01 && $0 <= 1 })
    // Log-uniform: about half the draws fall below the geometric mean 0.1.
    #expect(abs(Float(values.filter { $0 < 0.1 }.count) / 500 - 0.5) < 0.08)
    let before = drawn.values
    #expect(drawn.perturb(generator: &g))
    #expect(zip(drawn.values, before).allSatisfy { abs($0 - $1) <= 0.2 * $1 + 1e-6 })
    #expect(drawn.values != before)
    let never = try InternalRewards(
      numEvents: 2, initialValue: .exact(1), perturbProbability: 0, generator: &g)
    #expect(!never.perturb(generator: &g))
    let single = try InternalRewards(numEvents: 1, initialValue: .exact(2), generator: &g)
    #expect(single.reward(events: Tensor([1, -1])).scalars == [2, -2])
  }

  @Test func embeddingLayout() throws {
    var g = RandomGenerator(seed: 15)
    let rewards = try InternalRewards(numEvents: 2, initialValue: .exact(1), generator: &g)
    let embed = try OAREmbedding(
      torso: smallTorso(&g), numActions: [2, 3], internalRewards: rewards, rewardSize: 2)
    #expect(embed.outputSize == 8 + 5 + 1)
    #expect(embed.namedParameters(naming: .reference).contains { $0.path == "_internal_rewards_variables" })
    #expect(!embed.trainableParameters().contains { $0.path == "internal_rewards_variables" })
    let input = ObservationActionReward(
      observation: random([1, 12, 12, 3]), actions: [IndexTensor([1]), IndexTensor([2])],
      reward: Tensor(shape: [1, 2], scalars: [0.25, 0.5]))
    let e = embed(input).scalars
    #expect(Array(e[8..<13]) == [0, 1, 0, 0, 1])
    #expect(abs(e[13] - Foundation.tanh(0.75)) < 1e-6)
  }

  @Test func distributions() {
    var g = RandomGenerator(seed: 16)
    let policy = Categorical(
      logits: Tensor(shape: [1, 3], scalars: [0, Foundation.log(2), Foundation.log(7)]))
    var counts = [0, 0, 0]
    for _ in 0..<5000 { counts[Int(policy.sample(generator: &g).scalars[0])] += 1 }
    #expect(abs(Float(counts[2]) / 5000 - 0.7) < 0.03 && abs(Float(counts[0]) / 5000 - 0.1) < 0.02)
    #expect(abs(policy.logProbability(of: IndexTensor([1])).scalar - Foundation.log(0.2)) < 1e-6)
    let entropy: Float = -[0.1, 0.2, 0.7].map { $0 * Foundation.log($0) }.reduce(0, +)
    #expect(abs(policy.entropy().scalar - entropy) < 1e-6)
    let p = MultivariateNormalDiag(
      loc: Tensor(shape: [1, 2], scalars: [0, 1]), scale: Tensor(shape: [1, 2], scalars: [1, 2]))
    #expect(abs(p.klDivergence(to: p).scalar) < 1e-7)
    let standard = MultivariateNormalDiag(loc: Tensor(zeros: [1, 1]), scale: Tensor(ones: [1, 1]))
    #expect(
      abs(standard.logProbability(of: Tensor(zeros: [1, 1])).scalar + 0.5 * Foundation.log(2 * Float.pi))
        < 1e-6)
    #expect(abs(standard.entropy().scalar - 0.5 * (1 + Foundation.log(2 * Float.pi))) < 1e-6)
  }
}
