import Testing

@testable import FTWEnvironments

@Suite struct BotTests {
  /// Games between two kinds of bots; the wins of each team and the draws.
  func play(
    blue: BotKind, red: BotKind, teamSize: Int, games: Int, arena: ArenaSize = .small
  ) throws -> (blue: Int, red: Int, draws: Int, blueCaptures: Int) {
    let game = try CaptureTheFlag(
      configuration: .init(arena: .generated(arena), teamSize: teamSize, viewSize: 8, stepsPerGame: 600),
      seed: 3)
    let bots = (0..<game.playerCount).map {
      (game.playerTeams[$0] == 0 ? blue : red).make(player: $0, seed: UInt64($0) + 100)
    }
    var result = (blue: 0, red: 0, draws: 0, blueCaptures: 0)
    for _ in 0..<games {
      game.reset()
      while try game.step(bots.map { $0.action(in: game).components })[0].stepType != .last {}
      switch game.outcome {
      case .win(team: 0): result.blue += 1
      case .win: result.red += 1
      case .draw: result.draws += 1
      }
      result.blueCaptures += game.teamScores[0]
    }
    return result
  }

  @Test(arguments: [1, 2])
  func theScriptedBotBeatsTheRandomBot(teamSize: Int) throws {
    let result = try play(blue: .scripted, red: .random, teamSize: teamSize, games: 10)
    #expect(result.blue >= 9, "\(result)")
    #expect(result.red == 0, "\(result)")
    #expect(result.blueCaptures >= 20, "\(result)")
  }

  @Test func randomActionsCoverEveryChoice() throws {
    let game = try makeGame()
    let bot = RandomBot(player: 0, seed: 9)
    var seen = Set<[Int]>()
    for _ in 0..<3000 { seen.insert(bot.action(in: game).components) }
    #expect(seen.count == 90)
  }

  @Test func theScriptedBotCarriesTheFlagHome() throws {
    let game = try makeGame()
    let bot = ScriptedBot(player: 0, seed: 1)
    var picked = false
    for _ in 0..<400 where game.teamScores[0] == 0 {
      try game.step(overriding: [0: bot.action(in: game).components])
      picked = picked || game.players[0].carriesFlag
    }
    #expect(picked)
    #expect(game.teamScores == [1, 0])
  }

  @Test func theScriptedBotReturnsItsDroppedFlag() throws {
    let game = try makeGame()
    game.flags[0] = .dropped(at: Point(x: 5.5, y: 3.5), returnsIn: 500)
    let bot = ScriptedBot(player: 0, seed: 1)
    for _ in 0..<200 where game.flags[0] != .home {
      try game.step(overriding: [0: bot.action(in: game).components])
    }
    #expect(game.flags[0] == .home)
    #expect(game.stepCount < 200)
  }

  @Test func theScriptedBotTagsAnOpponentInReach() throws {
    let game = try makeGame()
    game.place(0, x: 2.5, y: 3.5, heading: 18)  // facing down, the opponent to its right
    game.place(1, x: 4.5, y: 3.5)
    let bot = ScriptedBot(player: 0, seed: 1)
    for _ in 0..<20 where game.players[1].isActive {
      try game.step(overriding: [0: bot.action(in: game).components])
    }
    #expect(!game.players[1].isActive)
  }
}
