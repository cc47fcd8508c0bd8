import Testing

@testable import FTWEnvironments

@Suite struct LadderBotTests {
  /// Every seat's action over `steps` steps of a 2 v 2 game on generated tiny arenas, with bots
  /// of `kind` seeded from `seed`.
  func actions(of kind: BotKind, seed: UInt64, steps: Int) throws -> [[Int]] {
    let game = try CaptureTheFlag(
      configuration: .init(arena: .generated(.tiny), teamSize: 2, viewSize: 8, stepsPerGame: 500), seed: 5)
    let bots = (0..<game.playerCount).map { kind.make(player: $0, seed: seed &+ UInt64($0)) }
    game.reset()
    var actions: [[Int]] = []
    for _ in 0..<steps {
      let step = bots.map { $0.action(in: game).components }
      actions.append(contentsOf: step)
      try game.step(step)
    }
    return actions
  }

  @Test(arguments: BotKind.allCases)
  func everyBotIsDeterministicFromItsSeed(kind: BotKind) throws {
    let first = try actions(of: kind, seed: 11, steps: 300)
    #expect(first == (try actions(of: kind, seed: 11, steps: 300)))
  }

  @Test(arguments: zip(BotKind.ladder.dropFirst(), BotKind.ladder))
  func eachRungBeatsTheOneBelow(higher: BotKind, lower: BotKind) throws {
    var wins = 0
    var losses = 0
    for blue in [higher, lower] {
      let result = try BotTests().play(
        blue: blue, red: blue == higher ? lower : higher, teamSize: 2, games: 12, arena: .tiny)
      wins += blue == higher ? result.blue : result.red
      losses += blue == higher ? result.red : result.blue
    }
    #expect(wins > losses, "\(higher) against \(lower): \(wins) won, \(losses) lost")
  }

  @Test func theMixedStyleDefendsWithEverySecondPlayerOfATeam() {
    #expect(
      (0..<6).map { BotStyle.mixed.defends(player: $0, teamSize: 3) } == [false, true, false] + [
        false, true, false,
      ])
    #expect(!BotStyle.mixed.defends(player: 1, teamSize: 1))
    #expect(
      BotStyle.defender.defends(player: 0, teamSize: 2) && !BotStyle.attacker.defends(player: 1, teamSize: 2))
  }

  @Test func aDefenderStaysAtItsBase() throws {
    let game = try makeGame()
    game.place(0, x: 4.5, y: 3.5)
    let bot = BotKind.defender.make(player: 0, seed: 1)
    var positions: [Point] = []
    for _ in 0..<120 {
      try game.step(overriding: [0: bot.action(in: game).components])
      positions.append(game.players[0].position)
    }
    #expect(game.players[0].position.cell == game.arena.bases[0])
    #expect(Set(positions.suffix(20).map { "\($0.x),\($0.y)" }).count == 1)
    #expect(game.flags[1] == .home)
  }

  /// The first action of a bot at (4.5, 2.5) facing +x with an opponent behind it, a little to one
  /// side, within reach.
  func actionWithAnOpponentBehind(sight: BotSight) throws -> CTFAction {
    let game = try makeGame()
    game.place(0, x: 4.5, y: 2.5, heading: 0)
    game.place(1, x: 2.5, y: 3.0)
    var skill = BotSkill.scripted
    skill.sight = sight
    return ScriptedBot(player: 0, seed: 1, skill: skill).action(in: game)
  }

  @Test func aBotThatSeesOnlyItsViewDoesNotTurnToAnOpponentBehindIt() throws {
    #expect(try actionWithAnOpponentBehind(sight: .around).turn == 2)
    #expect(try actionWithAnOpponentBehind(sight: .view).turn == 0)
  }

  @Test func aSlowBotFiresOnlyAfterItsReactionTime() throws {
    let game = try makeGame()
    game.place(0, x: 2.5, y: 2.5, heading: 0)
    game.place(1, x: 4.5, y: 2.5, heading: 0)
    let bot = ScriptedBot(
      player: 0, seed: 1, skill: BotSkill(reactionSteps: 3, fireChance: 1, sight: .view, speed: 0))
    var fired: [Bool] = []
    for _ in 0..<5 {
      let action = bot.action(in: game)
      fired.append(action.tag)
      try game.step(overriding: [0: action.components])
    }
    #expect(fired == [false, false, false, true, false])
    #expect(!game.players[1].isActive)
  }

  /// The strafe of a bot at (1.5, 2.5) facing +x, with `skill`, when player 1 stands at `x, y`
  /// facing `heading`.
  func strafe(skill: BotSkill, opponentAt x: Float, _ y: Float, heading: Int) throws -> Int {
    let game = try makeGame()
    game.place(0, x: 1.5, y: 2.5, heading: 0)
    game.place(1, x: x, y: y, heading: heading)
    return ScriptedBot(player: 0, seed: 1, skill: skill).action(in: game).strafe
  }

  @Test func aDodgingBotStrafesOutOfABeamAimedAtIt() throws {
    var dodging = BotSkill.scripted
    dodging.dodges = true
    #expect(try strafe(skill: dodging, opponentAt: 4.5, 2.5, heading: 36) != 0)
    #expect(try strafe(skill: .scripted, opponentAt: 4.5, 2.5, heading: 36) == 0)
  }

  @Test func aFineAimerStrafesAnOpponentJustBesideItsBeamIntoIt() throws {
    var fine = BotSkill.scripted
    fine.aimsFinely = true
    // 4.9 tiles ahead and 0.45 to the side: 5 degrees off, less than a slow turn, outside the beam.
    #expect(try strafe(skill: fine, opponentAt: 6.4, 2.95, heading: 18) == 1)
    #expect(try strafe(skill: fine, opponentAt: 6.4, 2.05, heading: 18) == -1)
    #expect(try strafe(skill: .scripted, opponentAt: 6.4, 2.95, heading: 18) == 0)
  }
}
