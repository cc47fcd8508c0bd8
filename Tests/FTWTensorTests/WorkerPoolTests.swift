import Foundation
import Synchronization
import Testing

@testable import FTWTensor

@Suite struct WorkerPoolTests {
  /// Runs a job of `parts` parts and returns how many times each part ran.
  private func counts(_ parts: Int) -> [Int] {
    let counts = Mutex([Int](repeating: 0, count: parts))
    WorkerPool.shared.run(parts: parts) { part in counts.withLock { $0[part] += 1 } }
    return counts.withLock { $0 }
  }

  @Test func everyPartRunsExactlyOnce() {
    for parts in [0, 1, 2, 3, 17, 1000] {
      #expect(counts(parts) == [Int](repeating: 1, count: parts), "\(parts) parts")
    }
  }

  @Test func jobsAfterTheWorkersHaveGoneToSleepStillRun() {
    for _ in 0..<5 {
      Thread.sleep(forTimeInterval: 0.002)  // longer than a worker spins before sleeping
      #expect(counts(8) == [Int](repeating: 1, count: 8))
    }
  }

  @Test func callersOnSeveralThreadsEachGetTheirWholeJob() async {
    await withTaskGroup(of: Bool.self) { group in
      for caller in 0..<6 {
        group.addTask {
          (0..<200).allSatisfy { job in
            counts(1 + (caller + job) % 9) == [Int](repeating: 1, count: 1 + (caller + job) % 9)
          }
        }
      }
      for await allRan in group { #expect(allRan) }
    }
  }
}
