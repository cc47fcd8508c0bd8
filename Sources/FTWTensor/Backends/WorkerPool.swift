import CFTWKernels
import Dispatch
import Foundation
import Synchronization

/// The threads the package's own kernels (convolutions, small-M products, the built-in GEMM) split
/// their work across: the calling thread plus `threadCount - 1` persistent workers.
///
/// After a job a worker keeps checking for the next one for ``spinNanoseconds`` (yielding the core
/// to any other runnable thread meanwhile) before it sleeps, so that the short kernel calls of a
/// recurrent unroll, up to a millisecond apart, do not each pay for waking a sleeping thread.
final class WorkerPool: @unchecked Sendable {
  /// The pool of `FTW_NUM_THREADS` threads if that is set to a positive number, else one per
  /// active processor.
  static let shared = WorkerPool(threadCount: configuredThreadCount)

  static var configuredThreadCount: Int {
    if let text = ProcessInfo.processInfo.environment["FTW_NUM_THREADS"], let count = Int(text), count > 0 {
      return count
    }
    return ProcessInfo.processInfo.activeProcessorCount
  }

  /// Threads a job runs on, the caller included.
  let threadCount: Int
  /// How long an idle worker keeps looking for work before it sleeps: long enough to span the
  /// sequential stretches of an unroll between two kernel calls. It yields the core meanwhile.
  static let spinNanoseconds: UInt64 = 1_000_000

  /// The current job in one word, so that a part is claimed with one compare-and-exchange: its
  /// generation (bits 32 and up), its part count (bits 16 to 31; 0 while the job is being set up)
  /// and the next part to claim (bits 0 to 15).
  private let claim = Atomic<Int>(0)
  /// Parts of the current job not finished yet.
  private let unfinished = Atomic<Int>(0)
  /// Workers asleep on `condition`.
  private let sleepers = Atomic<Int>(0)
  private let condition = NSCondition()
  /// Held by the thread whose job is running; another caller meanwhile runs its parts itself.
  private let running = NSLock()
  /// The current job; written only while no part can be claimed.
  private var body: ((Int) -> Void)?

  init(threadCount: Int) {
    self.threadCount = Swift.max(1, threadCount)
    for _ in 1..<self.threadCount {
      let thread = Thread { [unowned self] in self.workerLoop() }
      thread.name = "ftw-worker"
      thread.start()
    }
  }

  /// Runs `body(part)` for every part in `0..<parts`, on the pool's threads when there are
  /// several parts; returns when all have finished. `body` must not itself call `run`.
  func run(parts: Int, _ body: (Int) -> Void) {
    guard parts > 1, threadCount > 1, parts < 1 << 16, running.try() else {
      for part in 0..<parts { body(part) }
      return
    }
    defer { running.unlock() }
    withoutActuallyEscaping(body) { body in
      // Close the previous job to late claims first, then set up and open this one.
      let generation = (claim.load(ordering: .sequentiallyConsistent) >> 32) + 1
      claim.store(generation << 32, ordering: .sequentiallyConsistent)
      self.body = body
      unfinished.store(parts, ordering: .sequentiallyConsistent)
      claim.store(generation << 32 | parts << 16, ordering: .sequentiallyConsistent)
      if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
        condition.lock()
        condition.broadcast()
        condition.unlock()
      }
      work(generation: generation)
      while unfinished.load(ordering: .sequentiallyConsistent) > 0 { ftw_cpu_relax() }
      self.body = nil
    }
  }

  /// Claims and runs parts of job `generation` until none is left.
  private func work(generation: Int) {
    while true {
      var current = claim.load(ordering: .sequentiallyConsistent)
      var part = 0
      while true {
        let parts = (current >> 16) & 0xFFFF
        part = current & 0xFFFF
        guard current >> 32 == generation, part < parts else { return }
        let (exchanged, original) = claim.compareExchange(
          expected: current, desired: current + 1, ordering: .sequentiallyConsistent)
        if exchanged { break }
        current = original
      }
      // A claimed part keeps the job (and `body`) alive until it is marked finished.
      execute(part)
      unfinished.subtract(1, ordering: .sequentiallyConsistent)
    }
  }

  /// Runs one part of the current job. A function of its own, so that its reference to `body` is
  /// released when it returns, before the part is marked finished: `run` checks that no reference
  /// outlives the job.
  @inline(never)
  private func execute(_ part: Int) {
    body!(part)
  }

  private func workerLoop() {
    var seen = 0
    while true {
      var generation = claim.load(ordering: .sequentiallyConsistent) >> 32
      let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
      while generation == seen {
        if DispatchTime.now().uptimeNanoseconds < deadline {
          sched_yield()
        } else {
          condition.lock()
          sleepers.add(1, ordering: .sequentiallyConsistent)
          while claim.load(ordering: .sequentiallyConsistent) >> 32 == seen { condition.wait() }
          sleepers.subtract(1, ordering: .sequentiallyConsistent)
          condition.unlock()
        }
        generation = claim.load(ordering: .sequentiallyConsistent) >> 32
      }
      // The job may still be being set up (no parts yet): wait for it to open.
      while claim.load(ordering: .sequentiallyConsistent) == generation << 32 { ftw_cpu_relax() }
      seen = generation
      work(generation: generation)
    }
  }
}
