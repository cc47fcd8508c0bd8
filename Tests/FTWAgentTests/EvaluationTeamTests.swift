import FTWAgentTestSupport
import FTWEnvironments
import FTWTensor
import Testing

@testable import FTWAgent

@Suite struct EvaluationTeamTests {
  @Test func seatsRepeatInTurnAndGroupByPlayer() throws {
    var generator = RandomGenerator(seed: 1)
    let agent = try Agent(configuration: tinyConfiguration(), generator: &generator)
    let team = EvaluationTeam(seats: [.agent(agent), .bot(.scripted)])
    let groups = team.groups(teamSize: 4)
    #expect(groups.map(\.seats) == [[0, 2], [1, 3]])
    #expect(groups[0].player.isSame(as: .agent(agent)) && groups[1].player.isSame(as: .bot(.scripted)))
    #expect(EvaluationTeam(.bot(.random)).groups(teamSize: 3).map(\.seats) == [[0, 1, 2]])
  }

  @Test(arguments: [1, 3, 4])
  func anAgentTrainedOneAgainstOneFillsATeamOfAnySize(teamSize: Int) throws {
    var generator = RandomGenerator(seed: 2)
    let agent = try Agent(configuration: tinyConfiguration(), generator: &generator)
    var environment = try tinyConfiguration().world.environmentConfiguration()
    (environment.teamSize, environment.stepsPerGame) = (teamSize, 100)
    environment.arena = .generated(.small)
    let result = try Evaluator(environment: environment, seed: 4, parallel: 2).run(
      .agent(agent), against: .bot(.random), games: 2)
    #expect(result.games == 2)
  }

  @Test func aScriptedTeammateHelpsARandomBotWin() throws {
    var environment = try tinyConfiguration().world.environmentConfiguration()
    (environment.teamSize, environment.stepsPerGame) = (2, 400)
    let evaluator = Evaluator(environment: environment, seed: 5, parallel: 4)
    let alone = try evaluator.run(.bot(.random), against: .bot(.random), games: 8)
    let helped = try evaluator.run(
      EvaluationTeam(seats: [.bot(.random), .bot(.scripted)]), against: EvaluationTeam(.bot(.random)),
      games: 8)
    #expect(helped.wins > alone.wins && helped.captures > alone.captures, "alone \(alone), helped \(helped)")
    // One player in every seat is the same evaluation as the single-player form.
    #expect(
      try evaluator.run(EvaluationTeam(.bot(.scripted)), against: EvaluationTeam(.bot(.random)), games: 4)
        == evaluator.run(.bot(.scripted), against: .bot(.random), games: 4))
  }

  @Test func anAgentRefusesGamesWithAnotherView() throws {
    var generator = RandomGenerator(seed: 3)
    let agent = try Agent(configuration: tinyConfiguration(), generator: &generator)
    var environment = try tinyConfiguration().world.environmentConfiguration()
    environment.view = .firstPerson
    let evaluator = Evaluator(environment: environment, seed: 1)
    #expect(throws: TrainingError.self) { try evaluator.run(.agent(agent), against: .bot(.random), games: 1) }
    environment.view = .topDown
    environment.viewSize = 48
    #expect(throws: TrainingError.self) {
      try Match(
        game: CaptureTheFlag(configuration: environment, seed: 1), blue: EvaluationTeam(.bot(.random)),
        red: EvaluationTeam(.agent(agent)), seed: 1)
    }
  }

  @Test func aMatchSeatsAnAgentBesideABotAndPlaysToTheEnd() throws {
    var generator = RandomGenerator(seed: 6)
    let agent = try Agent(configuration: tinyConfiguration(), generator: &generator)
    var environment = try tinyConfiguration().world.environmentConfiguration()
    (environment.teamSize, environment.stepsPerGame) = (2, 300)
    let game = try CaptureTheFlag(configuration: environment, seed: 9)
    let blue = EvaluationTeam(seats: [.agent(agent), .bot(.scripted)])
    var match = try Match(game: game, blue: blue, red: EvaluationTeam(.bot(.random)), seed: 2)
    var steps = 0
    var pickups = [Float](repeating: 0, count: game.playerCount)
    while !match.isOver {
      for (player, step) in try match.step().enumerated() {
        pickups[player] += step.observation.events[GameEvent.iPickedUpFlag.rawValue]
      }
      steps += 1
    }
    #expect(steps == 300)
    // The scripted bot in blue's seat 1 fetches red's flag; the random players do not.
    #expect(pickups[1] > 0 && pickups[2] == 0 && pickups[3] == 0, "\(pickups)")
    // The same seed plays the same game (with an agent fresh from the same seed: its network
    // draws the noise of its latent variables from a generator of its own).
    var replayGenerator = RandomGenerator(seed: 6)
    let fresh = try Agent(configuration: tinyConfiguration(), generator: &replayGenerator)
    let again = try CaptureTheFlag(configuration: environment, seed: 9)
    var replay = try Match(
      game: again, blue: EvaluationTeam(seats: [.agent(fresh), .bot(.scripted)]),
      red: EvaluationTeam(.bot(.random)), seed: 2)
    while !replay.isOver { try replay.step() }
    #expect(again.teamScores == game.teamScores && again.players == game.players)
  }
}
