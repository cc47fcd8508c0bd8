import FTWReverb
import Testing

@Suite struct BackoffTests {
  @Test func waitsDoubleUpToTheCapAndStartAgainAfterASuccess() {
    var backoff = Backoff(cap: 2)
    #expect((0..<6).map { _ in backoff.next() } == [0.25, 0.5, 1, 2, 2, 2])
    backoff.reset()
    #expect(backoff.next() == 0.25)
    var slow = Backoff(first: 3, cap: 3)
    #expect([slow.next(), slow.next()] == [3, 3])
  }
}
