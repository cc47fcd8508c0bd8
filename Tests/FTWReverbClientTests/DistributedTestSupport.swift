#if Distributed
import FTWAgent
import FTWAgentTestSupport
import FTWReverbClient
import Foundation

/// The tiny configuration as a distributed run has it (threads, not lock step).
func distributedConfiguration() -> TrainingConfiguration {
  var configuration = tinyConfiguration()
  configuration.run.deterministic = false
  return configuration
}

func temporaryRunFolder() -> URL {
  FileManager.default.temporaryDirectory.appendingPathComponent("ftw-distributed-\(UUID().uuidString)")
}

/// `body`'s result, computed on a thread of its own (training and acting block their thread).
func onThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread {
      do {
        continuation.resume(returning: try body())
      } catch {
        continuation.resume(throwing: error)
      }
    }
    thread.stackSize = 16 << 20
    thread.start()
  }
}

/// An actor of index `index` playing through `client` until `stop` is raised.
func play(_ client: ReverbClient, index: Int, until stop: StopSignal) -> Task<Void, any Error> {
  Task {
    try await onThread {
      try ReverbActorLoop(client: client, index: index).run(stop: stop, flushSeconds: 0.5) { _ in }
    }
  }
}
#endif
