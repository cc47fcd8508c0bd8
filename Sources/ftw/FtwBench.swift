import ArgumentParser
import FTWLayers
import FTWNetworks
import FTWTensor
import Foundation

/// `ftw bench ftw`: acting and learning time of the FTW-default network.
struct FtwBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ftw",
    abstract:
      "Time the FTW-default network: one acting step (batch 1 and 16) and one unroll with its gradient.",
    discussion: """
      Network: OAREmbedding(FtwTorso()) with 9 discrete actions, RPTH(period: 10, hiddenSize: 256, \
      numDimensions: 256), head hidden size 256, default initialisers; observations 84x84x3 in [0, 1). \
      act_b1_ms / act_b16_ms: one FtwNetwork step. train_ms: unroll over [T, B] from the initial \
      state and the gradient of sum(logSoftmax(logits)[..., 0]) + sum(values^2) + 1e-3 * sum over \
      both distribution parameters of (loc^2 + scale) for every trainable parameter; unroll_ms: the \
      same unroll without a gradient. Medians after warm-up. Build with -c release.
      """)

  @Option(name: .customLong("T"), help: "Unroll length for train_ms.")
  var length: Int = 20

  @Option(name: .customLong("B"), help: "Batch size for train_ms.")
  var batch: Int = 8

  @Option(
    help:
      "Also time one acting step at this batch size (act_ms; ftw train's actors act on games x team size).")
  var actBatch: Int?

  @Option(help: "Timed repetitions of each measurement (after warm-up).")
  var repetitions: Int = 10

  @Option(help: "Untimed warm-up calls before each measurement.")
  var warmup: Int = 2

  @Flag(help: "Print one JSON line instead of a table.")
  var json = false

  @Flag(help: "Also list every product of one training step: shape, kernel, precision, time and GFLOP/s.")
  var profile = false

  /// Floating-point operations of one training step at T 20, B 8 as the reference computes it: the
  /// torso 5.6 GFLOP forward and 10.4 backward (per frame: conv 8x8/4 5.4 MFLOP, conv 4x4/2 7.9,
  /// two residual 3x3 convolutions 8.9 each, the linear layer 4.0; backward twice that, less the
  /// first layer's input gradient; 160 frames), RPTH 0.8 forward and 1.5 backward, the heads 0.1.
  static let referenceStepGFLOP = 18.4

  /// What one run of the bench measured, in milliseconds: acting steps, the training step and the
  /// unroll alone, the training step's products, and its floor at this machine's peak.
  struct Figures {
    var actB1: Double
    var actB16: Double
    var actCustom: Double?
    var train: Double
    var forward: Double
    var products: [KernelProfile.Entry]
    var profiledMilliseconds: Double
    var peak: Double
    var stepGFLOP: Double
    var floor: Double { stepGFLOP / peak * 1000 }
  }

  func run() throws {
    guard (1...1000).contains(length) else { throw fail("--T must be in 1...1000, got \(length)") }
    guard (1...1024).contains(batch) else { throw fail("--B must be in 1...1024, got \(batch)") }
    guard repetitions > 0 else { throw fail("--repetitions must be positive, got \(repetitions)") }
    guard warmup >= 0 else { throw fail("--warmup must be >= 0, got \(warmup)") }
    if let actBatch, !(1...1024).contains(actBatch) {
      throw fail("--act-batch must be in 1...1024, got \(actBatch)")
    }
    var generator = RandomGenerator(seed: 0)
    let network = try Self.defaultNetwork(generator: &generator)
    let figures = measure(network, generator: &generator)
    if json { return try printJSON(figures, network: network) }
    printTable(figures, network: network)
    if profile { profileActing(network, generator: &generator) }
  }

  /// Times every figure, in the order the bench always has.
  private func measure(_ network: FtwNetwork, generator: inout RandomGenerator) -> Figures {
    let actB1 = median(actingStep(network, batch: 1, generator: &generator))
    let actB16 = median(actingStep(network, batch: 16, generator: &generator))
    let actCustom = actBatch.map { median(actingStep(network, batch: $0, generator: &generator)) }
    let train = median(trainingStep(network, generator: &generator))
    let forward = median(forwardUnroll(network, generator: &generator))
    var inputs = Self.experience([length, batch], generator: &generator)
    let state = network.initialState(batchSize: batch)
    let (products, profiledMilliseconds) = profiled(
      setup: { inputs = Self.freshStep(network, inputs) }, body: { trainingStepBody(network, inputs, state) })
    // The floor: the reference's step at this machine's fp32 peak, scaled to this T x B.
    return Figures(
      actB1: actB1, actB16: actB16, actCustom: actCustom, train: train, forward: forward, products: products,
      profiledMilliseconds: profiledMilliseconds, peak: PeakBench.allThreadsFP32(),
      stepGFLOP: Self.referenceStepGFLOP * Double(length * batch) / 160)
  }

  private func printJSON(_ figures: Figures, network: FtwNetwork) throws {
    let results: [String: Any] = [
      "act_b1_ms": figures.actB1, "act_b16_ms": figures.actB16, "act_ms": figures.actCustom ?? figures.actB16,
      "act_batch": actBatch ?? 16, "train_ms": figures.train, "unroll_ms": figures.forward, "T": length,
      "B": batch,
      "repetitions": repetitions, "kernels": "\(KernelInstructionSet.active)",
      "precision": Precision.current.rawValue, "threads": Gemm.threadCount,
      "parameters": network.parameterCount, "peak_fp32_gflops": figures.peak, "floor_ms": figures.floor,
      "train_floor_ratio": figures.train / figures.floor,
      "products": figures.products.map {
        [
          "operation": $0.operation, "kernel": $0.kernel, "precision": $0.precision.rawValue,
          "calls": $0.calls,
          "ms_per_step": $0.seconds * 1000 / Double(repetitions), "gflops": $0.gflops,
        ]
      },
    ]
    let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
  }

  private func printTable(_ figures: Figures, network: FtwNetwork) {
    print(
      "FTW-default network, \(network.parameterCount) parameters, \(KernelInstructionSet.active) kernels, "
        + "\(Gemm.threadCount) threads, learner products in \(Precision.current)")
    print(String(format: "act_b1_ms   %9.2f", figures.actB1))
    print(String(format: "act_b16_ms  %9.2f", figures.actB16))
    if let actBatch, let actCustom = figures.actCustom {
      print(String(format: "act_ms      %9.2f   (batch %d)", actCustom, actBatch))
    }
    print(String(format: "train_ms    %9.2f   (T = %d, B = %d)", figures.train, length, batch))
    print(String(format: "unroll_ms   %9.2f   (the same unroll without a gradient)", figures.forward))
    print(
      String(
        format: "floor_ms    %9.2f   (%.1f GFLOP at %.1f GFLOP/s, the fp32 peak of all threads); "
          + "train_ms is %.2fx the floor", figures.floor, figures.stepGFLOP, figures.peak,
        figures.train / figures.floor))
    printProducts(
      "one training step's products", figures.products, stepMilliseconds: figures.profiledMilliseconds,
      details: profile)
  }

  /// Lists every product of one acting step at `--act-batch` (16 by default).
  private func profileActing(_ network: FtwNetwork, generator: inout RandomGenerator) {
    let actingBatch = actBatch ?? 16
    var actingInput = Self.experience([actingBatch], generator: &generator)
    let actingState = network.initialState(batchSize: actingBatch)
    let (acting, actingMilliseconds) = profiled(
      setup: { actingInput = Self.fresh(actingInput) }, body: { _ = network(actingInput, actingState) })
    printProducts(
      "one acting step's products at batch \(actingBatch)", acting, stepMilliseconds: actingMilliseconds,
      details: true)
  }

  /// `text` padded with spaces to `width` characters (or cut to it).
  func padded(_ text: String, _ width: Int) -> String {
    text.padding(toLength: width, withPad: " ", startingAt: 0)
  }

  /// Products of `repetitions` calls of `body` (each after an untimed `setup`) as the
  /// ``KernelProfile`` records them, and the median milliseconds of those calls.
  func profiled(
    setup: () -> Void, body: () -> Void
  ) -> (products: [KernelProfile.Entry], milliseconds: Double) {
    let (times, products) = KernelProfile.collect {
      timeCalls(repetitions: repetitions, warmup: 0, setup: setup, body: body)
    }
    return (products, median(times))
  }

  /// One line per kind of product of one call (kernel and precision, calls, milliseconds and
  /// GFLOP/s), then the rest of the call's `stepMilliseconds` (a median); with `details`, one line
  /// per shape too.
  func printProducts(
    _ title: String, _ products: [KernelProfile.Entry], stepMilliseconds: Double, details: Bool
  ) {
    let steps = Double(repetitions)
    print(String(format: "%@ (%d profiled, median %.2f ms):", title, repetitions, stepMilliseconds))
    // Grouped by the words of the operation before its shape (`conv forward`, `gemm`).
    let groups = Dictionary(grouping: products) { entry in
      let kind = entry.operation.split(separator: " ").prefix { !$0.contains(where: \.isNumber) }
      return "\(kind.joined(separator: " ")) on \(entry.kernel), \(entry.precision)"
    }
    var total = 0.0
    for (name, entries) in groups.sorted(by: { $0.key < $1.key }) {
      let (seconds, flops) = entries.reduce((0.0, 0.0)) { ($0.0 + $1.seconds, $0.1 + $1.flops) }
      total += seconds
      let calls = entries.reduce(0) { $0 + $1.calls } / repetitions
      print(
        "  " + padded(name, 50)
          + String(
            format: "%5d calls %8.2f ms %7.1f GFLOP/s", calls, seconds * 1000 / steps, flops / seconds / 1e9))
    }
    print(
      "  " + padded("outside the products", 62)
        + String(format: "%8.2f ms", stepMilliseconds - total * 1000 / steps))
    guard details else { return }
    for entry in products {
      print(
        "    " + padded(entry.operation, 46) + padded("\(entry.kernel), \(entry.precision)", 28)
          + String(
            format: "%4d calls %8.3f ms %7.1f GFLOP/s", entry.calls / repetitions,
            entry.seconds * 1000 / steps,
            entry.gflops))
    }
  }

  /// The FTW-default network of the benchmark.
  static func defaultNetwork(generator: inout RandomGenerator) throws -> FtwNetwork {
    let embed = try OAREmbedding(torso: FtwTorso(generator: &generator), numActions: [9])
    let rpth = try RPTH(
      inputSize: embed.outputSize, period: [10],
      options: VariationalUnitOptions(hiddenSize: 256, numDimensions: 256), generator: &generator)
    return try FtwNetwork(embed: embed, core: rpth, numActions: 9, headHiddenSize: 256, generator: &generator)
  }

  /// Random observations `shape + [84, 84, 3]`, actions and rewards.
  static func experience(_ shape: [Int], generator: inout RandomGenerator) -> ObservationActionReward {
    let count = shape.reduce(1, *)
    return ObservationActionReward(
      observation: Tensor(randomUniform: shape + [84, 84, 3], generator: &generator),
      action: IndexTensor(shape: shape, scalars: (0..<count).map { _ in Int32(generator.next() % 9) }),
      reward: Tensor(randomUniform: shape, lower: -1, upper: 1, generator: &generator))
  }

  /// Milliseconds of `repetitions` acting steps at `batch`, each on new observations (an actor
  /// keeps its weights from step to step).
  func actingStep(_ network: FtwNetwork, batch: Int, generator: inout RandomGenerator) -> [Double] {
    var input = Self.experience([batch], generator: &generator)
    let state = network.initialState(batchSize: batch)
    return time(setup: { input = Self.fresh(input) }, body: { _ = network(input, state) })
  }

  /// Milliseconds of `repetitions` unrolls with their gradient, each on new observations and
  /// weights (as every learner step has them).
  func trainingStep(_ network: FtwNetwork, generator: inout RandomGenerator) -> [Double] {
    var inputs = Self.experience([length, batch], generator: &generator)
    let state = network.initialState(batchSize: batch)
    return time(
      setup: { inputs = Self.freshStep(network, inputs) }, body: { trainingStepBody(network, inputs, state) })
  }

  /// `experience` in storage of its own.
  static func fresh(_ experience: ObservationActionReward) -> ObservationActionReward {
    ObservationActionReward(
      observation: freshCopy(experience.observation), actions: experience.actions,
      reward: freshCopy(experience.reward))
  }

  /// Gives every parameter of `network` its value in storage of its own, as an optimiser's step
  /// does, and returns `inputs` in storage of their own.
  static func freshStep(_ network: FtwNetwork, _ inputs: ObservationActionReward) -> ObservationActionReward {
    for (_, parameter) in network.namedParameters() { parameter.value = freshCopy(parameter.value) }
    return fresh(inputs)
  }

  /// One unroll over `inputs` and the gradient of the benchmark's loss for every parameter.
  func trainingStepBody(_ network: FtwNetwork, _ inputs: ObservationActionReward, _ state: RPTHState) {
    _ = valueWithGradient(of: network) {
      let (output, _) = network.unroll(inputs, state)
      let logPolicy = output.logits.logSoftmax().slice(0..<1, alongAxis: -1).sum()
      let regulariser = output.coreOutput.distributionParameters.map { ($0.loc.squared() + $0.scale).sum() }
      return logPolicy + output.value.squared().sum() + 1e-3
        * regulariser.dropFirst().reduce(regulariser[0], +)
    }
  }

  /// Milliseconds of `repetitions` unrolls without a gradient (the forward part of `train_ms`), on
  /// new observations and weights each time.
  func forwardUnroll(_ network: FtwNetwork, generator: inout RandomGenerator) -> [Double] {
    var inputs = Self.experience([length, batch], generator: &generator)
    let state = network.initialState(batchSize: batch)
    return time(
      setup: { inputs = Self.freshStep(network, inputs) }, body: { _ = network.unroll(inputs, state) })
  }

  func time(setup: () -> Void, body: () -> Void) -> [Double] {
    timeCalls(repetitions: repetitions, warmup: warmup, setup: setup, body: body)
  }
}
