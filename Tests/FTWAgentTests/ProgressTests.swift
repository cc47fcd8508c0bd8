import Testing

@testable import FTWAgent

/// What a run's progress reports: its members' last games and its frame rate.
@Suite struct ProgressTests {
  @Test func recentGamesKeepTheLastHundredFromTheMembersSide() {
    var recent = RecentGames()
    #expect(recent.winRate == 0 && recent.captures == 0)
    recent.append([GameResult(captures: 3, opponentCaptures: 1, pickups: 4)])
    recent.append(Array(repeating: GameResult(captures: 0, opponentCaptures: 2, pickups: 1), count: 99))
    #expect(recent.results.count == 100)
    #expect(recent.winRate == 0.01)
    #expect(recent.captures == 0.03 && recent.opponentCaptures == 1.99 && recent.pickups == 1.03)
    recent.append([GameResult(captures: 0, opponentCaptures: 0)])
    #expect(recent.results.count == 100 && recent.winRate == 0)
    recent.removeAll()
    #expect(recent.results.isEmpty)
  }

  @Test func theRateIsTakenOverTheLastSteps() {
    var window = RateWindow(steps: 3)
    #expect(window.add(seconds: 1, frames: 100) == 0)
    #expect(window.add(seconds: 2, frames: 300) == 200)
    #expect(window.add(seconds: 3, frames: 400) == 150)
    // The first point has left the window.
    #expect(window.add(seconds: 5, frames: 1000) == 700.0 / 3)
  }

  @Test func aSessionEndsAtItsFramesOrWhenStopped() {
    let stop = StopSignal()
    var clock = SessionClock(budget: TrainingBudget(frames: 100), stop: stop, checkpointMinutes: 0)
    #expect(!clock.isSpent(frames: 99) && clock.isSpent(frames: 100))
    let due = clock.checkpointIsDue()
    #expect(due)
    let patient = SessionClock(budget: TrainingBudget(minutes: 60), stop: stop, checkpointMinutes: 60)
    #expect(!patient.isSpent(frames: 1_000_000))
    stop.raise()
    #expect(patient.isSpent(frames: 0))
    var hourly = patient
    let hourlyDue = hourly.checkpointIsDue()
    #expect(!hourlyDue)
  }
}
