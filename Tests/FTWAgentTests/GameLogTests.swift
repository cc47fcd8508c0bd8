import FTWAgent
import FTWAgentTestSupport
import FTWEnvironments
import FTWTestSupport
import Foundation
import Testing

@Suite struct GameLogTests {
  /// A person's keys over a game: forward, turning now and then, tagging every fifth step.
  static func keys(at step: Int) -> CTFAction {
    CTFAction(
      move: step % 11 == 0 ? -1 : 1, strafe: step % 13 < 3 ? 1 : 0, turn: step % 7 == 0 ? 2 : 0,
      tag: step % 5 == 0)
  }

  /// A game with a person in blue's first seat beside the scripted bot, against random bots.
  static func personGame(steps: Int = 300) throws -> Match {
    var environment = try tinyConfiguration().world.environmentConfiguration()
    (environment.teamSize, environment.stepsPerGame, environment.arena) = (2, steps, .generated(.tiny))
    let game = try CaptureTheFlag(configuration: environment, seed: 4)
    var match = try Match(
      game: game, blue: EvaluationTeam(seats: [.bot(.random), .bot(.scripted)]),
      red: EvaluationTeam(.bot(.random)), seed: 3, people: [0])
    while !match.isOver { try match.step(people: [0: keys(at: game.stepCount)]) }
    return match
  }

  @Test func aPersonsGameReplaysBitForBit() throws {
    let match = try Self.personGame()
    let log = match.log
    #expect(log.seats == ["person", "scripted", "random", "random"])
    #expect(log.actions.count == 300 && log.scores == match.game.teamScores)
    #expect(match.game.teamScores.reduce(0, +) > 0, "a game with captures tests more")
    #expect(
      log.actions.map { $0[0] }
        == (0..<300).map { try! CaptureTheFlag.actionSpec.flatIndex(of: Self.keys(at: $0).components) })
    var states: [[PlayerState]] = []
    let replayed = try log.replay { states.append($0.players) }
    #expect(states.count == 301)
    #expect(replayed.players == match.game.players && replayed.flags == match.game.flags)
    #expect(replayed.teamScores == match.game.teamScores && replayed.arena.layout == match.game.arena.layout)
  }

  @Test func aLogSurvivesItsFileAndATamperedScoreIsCaught() throws {
    let log = try Self.personGame(steps: 120).log
    try withTemporaryFolder { folder in
      let url = folder.appendingPathComponent("game.json")
      try log.write(to: url)
      #expect(try GameLog.read(from: url) == log)
      var tampered = log
      tampered.scores[0] += 1
      #expect(throws: TrainingError.self) { try tampered.replay() }
    }
  }

  @Test func malformedLogsAreRefusedWithAReason() throws {
    let log = try Self.personGame(steps: 60).log
    var outOfRange = log
    outOfRange.actions[3][1] = 90
    var missingPlayer = log
    missingPlayer.actions[0].removeLast()
    var tooLong = log
    tooLong.stepsPerGame = 10
    var badLayout = log
    badLayout.arenaLayout = "#.#\n"
    var seats = log
    seats.seats.removeLast()
    for bad in [outOfRange, missingPlayer, tooLong, seats] {
      #expect(throws: TrainingError.self) { try bad.validate() }
    }
    #expect(throws: (any Error).self) { try badLayout.replay() }
    try withTemporaryFolder { folder in
      let url = folder.appendingPathComponent("game.json")
      for bytes in [Data("not json".utf8), Data("{\"version\": 2}".utf8), Data([0xFF, 0x00, 0x7B])] {
        try bytes.write(to: url)
        #expect(throws: TrainingError.self) { try GameLog.read(from: url) }
      }
      #expect(throws: TrainingError.self) {
        try GameLog.read(from: folder.appendingPathComponent("none.json"))
      }
    }
  }

  @Test func onlyPeoplesSeatsTakeGivenActions() throws {
    let environment = try tinyConfiguration().world.environmentConfiguration()
    let game = try CaptureTheFlag(configuration: environment, seed: 1)
    #expect(throws: TrainingError.self) {
      try Match(
        game: game, blue: EvaluationTeam(.bot(.random)), red: EvaluationTeam(.bot(.random)), seed: 1,
        people: [game.playerCount])
    }
    var match = try Match(
      game: game, blue: EvaluationTeam(.bot(.random)), red: EvaluationTeam(.bot(.random)), seed: 1,
      people: [1])
    #expect(throws: TrainingError.self) { try match.step(people: [0: CTFAction(move: 1)]) }
    try match.step(people: [1: CTFAction(move: 1, tag: true)])
    let given = try CaptureTheFlag.actionSpec.flatIndex(of: CTFAction(move: 1, tag: true).components)
    #expect(match.log.actions.count == 1 && match.log.actions[0][1] == given)
  }
}
