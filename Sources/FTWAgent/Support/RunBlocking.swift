import Dispatch
import Synchronization

/// The result of a task, for the thread that waits for it.
private final class Outcome<Value: Sendable>: Sendable {
  let result = Mutex<Result<Value, any Error>?>(nil)
}

/// Runs `body` as a task and blocks the calling thread until it ends: the bridge between the
/// synchronous acting and learning loops (and commands) and async code such as the Reverb
/// client's calls and the web server. Call it from ordinary
/// threads only, never from a task (it would hold one of the concurrency pool's few threads).
///
/// ```swift
/// let tables = try runBlocking { try await client.serverInfo() }
/// ```
public func runBlocking<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) throws -> Value
{
  let outcome = Outcome<Value>()
  let done = DispatchSemaphore(value: 0)
  Task {
    do {
      let value = try await body()
      outcome.result.withLock { $0 = .success(value) }
    } catch {
      outcome.result.withLock { $0 = .failure(error) }
    }
    done.signal()
  }
  done.wait()
  return try outcome.result.withLock { $0! }.get()
}
