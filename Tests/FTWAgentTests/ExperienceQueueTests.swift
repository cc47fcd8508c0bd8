import FTWAgent
import Foundation
import Testing

@Suite struct ExperienceQueueTests {
  private func experiences(_ count: Int) throws -> [Experience] {
    let learner = try makeLearner(seed: 1)
    let trajectory = makeBatch(learner, seed: 2)
    return (0..<count).map { Experience(member: $0, trajectory: trajectory, games: [], weightsVersion: $0) }
  }

  /// First in, first out; a closed queue hands out what it holds, then `nil`, and refuses sends
  /// with its own error.
  @Test func aClosedQueueDrainsThenRefusesSendsWithItsError() throws {
    let queue = ExperienceQueue(capacity: 3)
    for experience in try experiences(3) { try queue.send(experience) }
    #expect(queue.receive()?.member == 0)
    queue.close()
    #expect(throws: ExperienceQueue.Closed()) { try queue.send(try experiences(1)[0]) }
    #expect(queue.receive()?.member == 1)
    #expect(queue.receive()?.member == 2)
    #expect(queue.receive() == nil)
  }

  /// A sender waits while the queue is full and throws once it is closed.
  @Test func aWaitingSenderIsReleasedByClosing() async throws {
    let queue = ExperienceQueue(capacity: 1)
    let items = try experiences(2)
    try queue.send(items[0])
    let sender = Task.detached { () -> Bool in
      do {
        try queue.send(items[1])
        return false
      } catch {
        return error is ExperienceQueue.Closed
      }
    }
    try await Task.sleep(for: .milliseconds(50))
    queue.close()
    #expect(await sender.value)
  }

  @Test func weightSlotsHandOutOnlyNewerWeights() {
    let slots = WeightSlots()
    #expect(slots.fetch(of: 0, newerThan: -1) == nil)
    slots.publish(WeightSnapshot(version: 4, tensors: [:], slowCorePeriod: 10), of: 0)
    #expect(slots.fetch(of: 0, newerThan: 3)?.version == 4)
    #expect(slots.fetch(of: 0, newerThan: 4) == nil)
    #expect(slots.fetch(of: 1, newerThan: -1) == nil)
  }
}
