import Foundation

/// One parser of outside input under the fuzzer: its name on the command line, what it reads,
/// and what it does with one input. `run` must never crash, leak a sanitizer report or take
/// over a second: a malformed input is refused with a thrown error, which `run` ignores.
///
/// ```swift
/// FuzzTarget(name: "metrics-rows", summary: "metrics.csv lines read back on resume") { data in
///   _ = MetricsRow(csv: Substring(decoding: data, as: UTF8.self))
/// }
/// ```
struct FuzzTarget: Sendable {
  let name: String
  let summary: String
  let run: @Sendable (Data) -> Void

  /// Every target, in the order the script runs them.
  static let all: [FuzzTarget] = [
    .safetensors, .conformanceCases, .arenaLayouts, .checkpointManifests, .runConfigurations,
    .populationConfigurations, .populationLogs, .metricsRows, .snappy, .chunkTensors, .reverbTrajectories,
    .reverbWeights,
    .webMessages,
  ]
}

/// Stops the fuzzer with a message when a property that holds for every input fails: libFuzzer
/// saves the input that broke it.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}
