import Testing

@testable import FTWEnvironments

@Suite struct CaptureTheFlagTests {
  @Test func touchingTheOtherFlagPicksItUp() throws {
    let game = try makeGame(teamSize: 2)  // players 0, 1 are team 0; 2, 3 team 1
    game.place(0, x: 7.5, y: 4.2)
    let steps = try game.step()
    #expect(game.flags[1] == .carried(by: 0))
    #expect(game.players[0].carriesFlag)
    #expect(steps[0].happened == [.iPickedUpFlag])
    #expect(steps[1].happened == [.teammatePickedUpFlag])
    #expect(steps[2].happened == [.opponentPickedUpFlag])
    #expect(steps[3].happened == [.opponentPickedUpFlag])
    #expect(steps.map(\.reward) == [0, 0, 0, 0])
  }

  @Test func capturingNeedsYourOwnFlagHome() throws {
    let game = try makeGame()
    game.place(0, x: 7.5, y: 4.2)
    try game.step()
    game.place(1, x: 1.5, y: 1.2)  // team 1 takes team 0's flag at the same time
    try game.step()
    #expect(game.flags == [.carried(by: 1), .carried(by: 0)])
    game.place(0, x: 1.6, y: 1.6)  // the carrier is home, but its flag is not
    let blocked = try game.step()
    #expect(game.teamScores == [0, 0])
    #expect(blocked[0].happened.isEmpty)
    game.flags[0] = .home
    game.players[1].carriesFlag = false
    game.place(1, x: 4.5, y: 3.5)
    let steps = try game.step()
    #expect(game.teamScores == [1, 0])
    #expect(game.flags == [.home, .home])
    #expect(!game.players[0].carriesFlag)
    #expect(steps[0].happened == [.iCaptured])
    #expect(steps[1].happened == [.opponentCaptured])
    #expect(steps[0].reward == GameEvent.iCaptured.defaultPoints)
  }

  @Test func aTaggedCarrierDropsTheFlagAndWaitsAtItsBase() throws {
    let game = try makeGame()
    game.place(1, x: 1.5, y: 1.4)  // team 1 picks up team 0's flag
    try game.step()
    #expect(game.players[1].carriesFlag)
    game.place(0, x: 1.5, y: 3.5, heading: 0)
    game.place(1, x: 4.5, y: 3.5)  // three tiles in front of player 0
    let steps = try game.step(overriding: [0: tag])
    #expect(steps[0].happened == [.iTaggedOpponent, .iTaggedFlagCarrier])
    // Its objective is now the dropped flag, a tile nearer its spawn than its base was.
    #expect(steps[1].happened == [.iWasTagged, .iWasTaggedWithFlag, .iMovedTowardObjective])
    #expect(steps[0].reward == 3)  // a frag and the carrier bonus, Quake III's points
    #expect(game.flags[0] == .dropped(at: Point(x: 4.5, y: 3.5), returnsIn: game.rules.flagReturnDelay))
    #expect(!game.players[1].carriesFlag)
    #expect(game.players[1].respawnIn == game.rules.respawnDelay)
    #expect(game.arena.spawns[1].contains(game.players[1].position.cell))
    #expect(game.players[0].beamLength == 3)
  }

  @Test func aTaggedPlayerWaitsTheRespawnDelayThenPlays() throws {
    var rules = CaptureTheFlagRules()
    rules.respawnDelay = 5
    let game = try makeGame(rules: rules)
    game.place(0, x: 1.5, y: 3.5, heading: 0)
    game.place(1, x: 3.5, y: 3.5)
    try game.step(overriding: [0: tag])
    let spawn = game.players[1].position
    for _ in 0..<5 {
      #expect(!game.players[1].isActive)
      let steps = try game.step(forward)
      #expect(game.players[1].position == spawn)
      #expect(steps[1].happened.isEmpty)
    }
    #expect(game.players[1].isActive)
    try game.step(forward)
    #expect(game.players[1].position != spawn)
  }

  @Test func aTagCountsTheTilesItSendsAPlayerBackAsStepsAway() throws {
    let game = try makeGame()
    game.place(0, x: 1.5, y: 3.5, heading: 0)
    game.place(1, x: 3.5, y: 3.5)  // two tiles across and two down from team 0's flag at A (1, 1)
    let steps = try game.step(overriding: [0: tag])
    let distances = game.arena.distances(from: game.arena.bases[0])
    let spawn = game.players[1].position.cell
    let lost = distances[spawn.y * game.arena.width + spawn.x] - 4
    #expect(lost > 0)
    #expect(steps[1].happened == [.iWasTagged, .iMovedAwayFromObjective])
    #expect(steps[1].count(.iMovedAwayFromObjective) == Float(lost))
    // Walking back earns them again, one a tile: the run and the tag sum to nothing.
    #expect(steps[0].happened == [.iTaggedOpponent])
  }

  @Test func aRespawningPlayerSeesItsViewDarkened() throws {
    let game = try makeGame(viewSize: 16)
    let bright = try game.step()[1].observation.pixels
    game.players[1].respawnIn = 3
    let dark = try game.step()[1].observation.pixels
    #expect(bright.contains { $0 >= 4 })
    #expect(zip(dark, bright).allSatisfy { $0 == $1 >> 2 })
  }

  @Test func touchingYourDroppedFlagReturnsIt() throws {
    let game = try makeGame(teamSize: 2)
    game.flags[0] = .dropped(at: Point(x: 4.5, y: 2.5), returnsIn: 50)
    game.place(1, x: 4.5, y: 2.9)
    let steps = try game.step()
    #expect(game.flags[0] == .home)
    #expect(steps[1].happened == [.iReturnedFlag])
    #expect(steps[0].happened == [.teammateReturnedFlag])
    #expect(steps[2].happened == [.opponentReturnedFlag])
    #expect(steps[1].reward == 1)
  }

  @Test func aDroppedFlagReturnsByItselfAfterTheDelay() throws {
    let game = try makeGame()
    game.flags[1] = .dropped(at: Point(x: 4.5, y: 2.5), returnsIn: 3)
    try game.step()
    try game.step()
    #expect(game.flags[1] == .dropped(at: Point(x: 4.5, y: 2.5), returnsIn: 1))
    let steps = try game.step()
    #expect(game.flags[1] == .home)
    #expect(steps.allSatisfy { $0.happened.isEmpty })
  }

  @Test func anOpponentTouchingADroppedFlagPicksItUpAgain() throws {
    let game = try makeGame()
    game.flags[1] = .dropped(at: Point(x: 4.5, y: 2.5), returnsIn: 30)
    game.place(0, x: 4.4, y: 2.5)
    let steps = try game.step()
    #expect(game.flags[1] == .carried(by: 0))
    #expect(steps[0].happened == [.iPickedUpFlag])
  }

  @Test func wallsBlockTheBeam() throws {
    let game = try makeGame(layout: walledTestLayout)
    game.place(0, x: 2.5, y: 2.5, heading: 0)
    game.place(1, x: 6.5, y: 2.5)  // the wall at (4, 2) stands between
    let steps = try game.step(overriding: [0: tag])
    #expect(steps[0].happened.isEmpty)
    #expect(game.players[1].isActive)
    #expect(game.players[0].beamLength == 1.5)  // up to the wall's face at x = 4
  }

  @Test func theBeamReachesOnlyTagRangeAndCoolsDown() throws {
    var rules = CaptureTheFlagRules()
    rules.tagCooldown = 3
    rules.tagRange = 2
    let game = try makeGame(rules: rules)
    game.place(0, x: 1.5, y: 3.5, heading: 0)
    game.place(1, x: 4.5, y: 3.5)  // 3 tiles away: out of range
    #expect(try game.step(overriding: [0: tag])[0].happened.isEmpty)
    game.place(1, x: 3.0, y: 3.5)  // in range, but the beam is cooling down
    #expect(try game.step(overriding: [0: tag])[0].happened.isEmpty)
    #expect(try game.step(overriding: [0: tag])[0].happened.isEmpty)
    #expect(game.players[0].beamLength == nil)
    #expect(try game.step(overriding: [0: tag])[0].happened == [.iTaggedOpponent])
  }

  @Test func twoPlayersCanTagEachOtherInOneStep() throws {
    let game = try makeGame()
    game.place(0, x: 2.5, y: 3.5, heading: 0)
    game.place(1, x: 4.5, y: 3.5, heading: 36)
    let steps = try game.step(tag)
    #expect(steps[0].happened == [.iTaggedOpponent, .iWasTagged, .iMovedAwayFromObjective])
    #expect(steps[1].happened == [.iTaggedOpponent, .iWasTagged, .iMovedAwayFromObjective])
  }

  @Test func wallsStopPlayersAtTheirFace() throws {
    let game = try makeGame()
    game.place(0, x: 6.5, y: 2.5, heading: 0)
    for _ in 0..<20 { try game.step(overriding: [0: forward]) }
    #expect(abs(game.players[0].position.x - (8 - game.rules.playerRadius)) < 0.01)
    #expect(game.players[0].position.y == 2.5)
    // Running diagonally into a corner slides along the walls without entering them.
    game.place(0, x: 6.5, y: 2.5, heading: 9)
    for _ in 0..<40 { try game.step(overriding: [0: forward]) }
    let position = game.players[0].position
    #expect(abs(position.x - (8 - game.rules.playerRadius)) < 0.01)
    #expect(abs(position.y - (5 - game.rules.playerRadius)) < 0.01)
  }

  @Test func opponentsDoNotWalkThroughEachOtherButTeammatesDo() throws {
    let game = try makeGame(teamSize: 2)  // players 0, 1 are team 0; 2, 3 team 1
    game.place(0, x: 2.5, y: 3.5, heading: 0)
    game.place(2, x: 4.5, y: 3.5)
    game.place(1, x: 1.5, y: 2.5)
    game.place(3, x: 6.5, y: 1.5)
    for _ in 0..<30 { try game.step(overriding: [0: forward]) }
    let gap = game.players[2].position.x - game.players[0].position.x
    #expect(gap >= 2 * game.rules.playerRadius && gap < 2 * game.rules.playerRadius + game.rules.forwardSpeed)
    // Overlapping opponents can move apart.
    game.place(0, x: 2.5, y: 3.5, heading: 0)
    game.place(2, x: 2.6, y: 3.5)
    try game.step(overriding: [0: [0, 1, 2, 0]])
    #expect(game.players[0].position.x < 2.5)
    // A teammate is no obstacle.
    game.place(0, x: 2.5, y: 2.5, heading: 0)
    game.place(1, x: 3.0, y: 2.5)
    for _ in 0..<10 { try game.step(overriding: [0: forward]) }
    #expect(game.players[0].position.x > 4)
  }

  @Test func progressTowardTheObjectiveIsCountedTileByTile() throws {
    let game = try makeGame()
    // Player 0 (team 0) heads for team 1's flag at B (7, 4): moving right from (3, 3) into (4, 3)
    // brings it one step nearer.
    game.place(0, x: 3.9, y: 3.5, heading: 0)
    let toward = try game.step(overriding: [0: forward])
    #expect(toward[0].happened == [.iMovedTowardObjective])
    game.place(0, x: 4.1, y: 3.5, heading: 36)
    let away = try game.step(overriding: [0: forward])
    #expect(away[0].happened == [.iMovedAwayFromObjective])
    // Within a tile nothing is counted.
    game.place(0, x: 3.2, y: 3.5, heading: 0)
    #expect(try game.step(overriding: [0: forward])[0].happened.isEmpty)
    // A carrier heads home: moving right is now away.
    game.flags[1] = .carried(by: 0)
    game.players[0].carriesFlag = true
    game.place(0, x: 3.9, y: 3.5, heading: 0)
    #expect(try game.step(overriding: [0: forward])[0].happened == [.iMovedAwayFromObjective])
    #expect(GameEvent.iMovedTowardObjective.defaultPoints == 0)
  }

  @Test func turnsMoveTheHeadingByTheRulesUnits() throws {
    let game = try makeGame()
    game.place(0, x: 4.5, y: 2.5, heading: 0)
    let turns = [(0, -6), (1, -2), (2, 0), (3, 2), (4, 6)]
    for (choice, units) in turns {
      game.players[0].heading = 10
      try game.step(overriding: [0: [1, 1, choice, 0]])
      #expect(game.players[0].heading == 10 + units)
    }
  }

  @Test func theGameEndsAfterItsStepsAndTheMoreCapturesWin() throws {
    let game = try makeGame(stepsPerGame: 3)
    game.place(0, x: 7.5, y: 4.2)
    #expect(try game.step()[0].stepType == .mid)
    game.place(0, x: 1.5, y: 1.6)
    let second = try game.step()
    #expect(second.map(\.stepType) == [.mid, .mid])
    #expect(game.teamScores == [1, 0])
    let last = try game.step()
    #expect(last.map(\.stepType) == [.last, .last])
    #expect(last.map(\.discount) == [0, 0])
    #expect(game.outcome == .win(team: 0))
    let next = try game.step()  // dm_env: the step after the last starts a new game
    #expect(next.map(\.stepType) == [.first, .first])
    #expect(game.teamScores == [0, 0])
    #expect(game.outcome == .draw)
    #expect(game.gameCount == 2)
  }

  @Test func badActionsAreRefusedAndChangeNothing() throws {
    let game = try makeGame()
    let before = game.players
    #expect(throws: EnvironmentError.self) { try game.step([stay]) }
    #expect(throws: EnvironmentError.self) { try game.step([stay, [3, 1, 2, 0]]) }
    #expect(throws: EnvironmentError.self) { try game.step([stay, [1, 1, 2]]) }
    #expect(throws: EnvironmentError.self) { try game.step([stay, [1, 1, -1, 0]]) }
    #expect(game.players == before)
    #expect(game.stepCount == 0)
  }

  @Test func badConfigurationsAreRefused() throws {
    let arena = try Arena(layout: openTestLayout)
    let cases: [CaptureTheFlagConfiguration] = [
      .init(arena: .fixed(arena), teamSize: 0),
      .init(arena: .fixed(arena), teamSize: arena.spawns[0].count + 1),
      .init(arena: .generated(.small), teamSize: 9),
      .init(viewSize: 4),
      .init(stepsPerGame: 0),
      .init(
        rules: {
          var rules = CaptureTheFlagRules()
          rules.playerRadius = 0.5
          return rules
        }()),
      .init(
        rules: {
          var rules = CaptureTheFlagRules()
          rules.respawnDelay = -1
          return rules
        }()),
    ]
    for configuration in cases {
      #expect(throws: EnvironmentError.self) { try CaptureTheFlag(configuration: configuration, seed: 0) }
    }
  }

  @Test func specsDescribeWhatStepsReturn() throws {
    let game = try makeGame(teamSize: 2, viewSize: 12)
    let spec = game.observationSpec
    #expect(spec.pixels.shape == [12, 12, 3])
    #expect(spec.eventNames.count == GameEvent.allCases.count)
    #expect(Set(spec.eventNames).count == spec.eventNames.count)
    #expect(game.playerTeams == [0, 0, 1, 1])
    #expect(game.teamCount == 2)
    let steps = game.reset()
    #expect(steps.count == 4)
    for step in steps {
      #expect(step.stepType == .first)
      #expect(step.observation.pixels.count == spec.pixels.elementCount)
      #expect(step.observation.events.count == spec.events.elementCount)
    }
  }

  @Test(arguments: ViewKind.allCases, [1, 2, 3])
  func equalSeedsAndActionsGiveEqualGames(view: ViewKind, teamSize: Int) throws {
    func play(seed: UInt64) throws -> [[TimeStep]] {
      let game = try CaptureTheFlag(
        configuration: .init(
          arena: .generated(.small), teamSize: teamSize, view: view, viewSize: 16, stepsPerGame: 150),
        seed: seed)
      var history = [game.reset()]
      let bots = (0..<game.playerCount).map {
        ($0 % 2 == 0 ? BotKind.scripted : .random).make(player: $0, seed: UInt64($0))
      }
      for _ in 0..<320 { history.append(try game.step(bots.map { $0.action(in: game).components })) }
      return history
    }
    func same(_ a: [[TimeStep]], _ b: [[TimeStep]]) -> Bool {
      zip(a, b).allSatisfy {
        zip($0, $1).allSatisfy { x, y in
          x.stepType == y.stepType && x.reward.bitPattern == y.reward.bitPattern
            && x.observation == y.observation
        }
      }
    }
    let first = try play(seed: 11)
    #expect(same(first, try play(seed: 11)))
    #expect(!same(first, try play(seed: 12)))
  }
}
