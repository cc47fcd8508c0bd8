import FTWEnvironments
import FTWTestSupport
import Testing

/// The README's capture-the-flag example, compiled and run here.
@Suite struct ReadmeExampleTests {
  @Test func exampleRuns() throws {
    // README example begin
    let game = try CaptureTheFlag(
      configuration: CaptureTheFlagConfiguration(arena: .generated(.small), teamSize: 2, view: .firstPerson),
      seed: 7)
    var steps = game.reset()  // one TimeStep per player: pixels [84, 84, 3] bytes, 15 event counts
    let bots = (0..<game.playerCount).map { BotKind.scripted.make(player: $0, seed: UInt64($0)) }
    while steps[0].stepType != .last {
      steps = try game.step(bots.map { $0.action(in: game).components })
    }
    print(game.teamScores, game.outcome)
    // README example end
    #expect(game.stepCount == 1000)
    #expect(steps.allSatisfy { $0.observation.pixels.count == 84 * 84 * 3 && $0.discount == 0 })
  }

  @Test func readmeShowsThisExample() throws {
    #expect(try readmeShowsExample(of: #filePath), "README.md must show the example of this file")
  }
}
