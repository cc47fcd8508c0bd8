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

  func run() throws {
    guard (1...1000).contains(length) else { throw fail("--T must be in 1...1000, got \(length)") }
    guard (1...1024).contains(batch) else { throw fail("--B must be in 1...1024, got \(batch)") }
    guard repetitions > 0 else { throw fail("--repetitions must be positive, got \(repetitions)") }
    guard warmup >= 0 else { throw fail("--warmup must be >= 0, got \(warmup)") }
    var generator = RandomGenerator(seed: 0)
    let network = try Self.defaultNetwork(generator: &generator)
    let actB1 = median(actingStep(network, batch: 1, generator: &generator))
    let actB16 = median(actingStep(network, batch: 16, generator: &generator))
    if let actBatch, !(1...1024).contains(actBatch) {
      throw fail("--act-batch must be in 1...1024, got \(actBatch)")
    }
    let actCustom = actBatch.map { median(actingStep(network, batch: $0, generator: &generator)) }
    let train = median(trainingStep(network, generator: &generator))
    let forward = median(forwardUnroll(network, generator: &generator))
    let results: [String: Any] = [
      "act_b1_ms": actB1, "act_b16_ms": actB16, "act_ms": actCustom ?? actB16, "act_batch": actBatch ?? 16,
      "train_ms": train, "unroll_ms": forward, "T": length,
      "B": batch,
      "repetitions": repetitions, "kernels": "\(KernelInstructionSet.active)",
      "threads": Gemm.threadCount,
      "parameters": network.parameterCount,
    ]
    if json {
      let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    } else {
      print(
        "FTW-default network, \(network.parameterCount) parameters, \(KernelInstructionSet.active) kernels, \(Gemm.threadCount) threads"
      )
      print(String(format: "act_b1_ms   %9.2f", actB1))
      print(String(format: "act_b16_ms  %9.2f", actB16))
      if let actBatch, let actCustom {
        print(String(format: "act_ms      %9.2f   (batch %d)", actCustom, actBatch))
      }
      print(String(format: "train_ms    %9.2f   (T = %d, B = %d)", train, length, batch))
      print(String(format: "unroll_ms   %9.2f   (the same unroll without a gradient)", forward))
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

  /// Milliseconds of `repetitions` acting steps at `batch`.
  func actingStep(_ network: FtwNetwork, batch: Int, generator: inout RandomGenerator) -> [Double] {
    let input = Self.experience([batch], generator: &generator)
    let state = network.initialState(batchSize: batch)
    return time { _ = network(input, state) }
  }

  /// Milliseconds of `repetitions` unrolls with their gradient.
  func trainingStep(_ network: FtwNetwork, generator: inout RandomGenerator) -> [Double] {
    let inputs = Self.experience([length, batch], generator: &generator)
    let state = network.initialState(batchSize: batch)
    return time {
      _ = valueWithGradient(of: network) {
        let (output, _) = network.unroll(inputs, state)
        let logPolicy = output.logits.logSoftmax().slice(0..<1, alongAxis: -1).sum()
        let regulariser = output.coreOutput.distributionParameters.map { ($0.loc.squared() + $0.scale).sum() }
        return logPolicy + output.value.squared().sum() + 1e-3
          * regulariser.dropFirst().reduce(regulariser[0], +)
      }
    }
  }

  /// Milliseconds of `repetitions` unrolls without a gradient (the forward part of `train_ms`).
  func forwardUnroll(_ network: FtwNetwork, generator: inout RandomGenerator) -> [Double] {
    let inputs = Self.experience([length, batch], generator: &generator)
    let state = network.initialState(batchSize: batch)
    return time { _ = network.unroll(inputs, state) }
  }

  func time(_ body: () -> Void) -> [Double] { timeCalls(repetitions: repetitions, warmup: warmup, body) }
}
