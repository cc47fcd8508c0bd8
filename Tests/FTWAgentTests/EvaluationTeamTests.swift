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
}
