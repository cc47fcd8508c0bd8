import FTWAgent
import FTWAgentTestSupport
import FTWEnvironments
import FTWTestSupport
import Foundation
import Testing

@Suite struct StreamedGameTests {
  @Test func keysMeanTheirActionsAndMissingKeysAreUp() throws {
    #expect(KeyState(forward: true, turnLeft: true, fast: true).action == CTFAction(move: 1, turn: -2))
    #expect(
      KeyState(forward: true, back: true, left: true, tag: true).action == CTFAction(strafe: -1, tag: true))
    let keys = try JSONDecoder().decode(
      KeyState.self, from: Data(#"{"type": "keys", "turnRight": true}"#.utf8))
    #expect(keys.action == CTFAction(turn: 1))
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(KeyState.self, from: Data(#"{"forward": "yes"}"#.utf8))
    }
  }

  @Test func requestsTakeDefaultsAndNameWhatIsOutOfRange() throws {
    let request = try JSONDecoder().decode(
      GameRequest.self, from: Data(#"{"teamSize": 2, "seat": 1, "team": 1}"#.utf8))
    #expect(request.arena == "tiny" && request.opponents == "random" && request.player == 3)
    let players = ["random", "scripted"]
    try request.validate(players: players)
    var bad = request
    bad.seat = 2
    #expect(throws: TrainingError.self) { try bad.validate(players: players) }
    bad = request
    bad.opponents = "../../etc"
    #expect(throws: TrainingError.self) { try bad.validate(players: players) }
    bad = request
    bad.arena = "huge"
    #expect(throws: TrainingError.self) { try bad.validate(players: players) }
    bad = request
    bad.steps = GameRequest.maximumSteps + 1
    #expect(throws: TrainingError.self) { try bad.validate(players: players) }
  }

  /// A person holding forward moves; the frame carries their view, the map and the clock, and
  /// says the result once the game is over.
  @Test func aPersonHoldingForwardMovesAndTheGameEndsWithAResult() throws {
    var request = GameRequest()
    request.steps = 40
    var game = try StreamedGame(
      request: request, teammates: .bot(.random), opponents: .bot(.random), names: ("random", "random"),
      seed: 5)
    let start = try StepFrame(bytes: game.frame().bytes)
    #expect(start.header.step == 0 && start.header.viewSize == 84 && start.view.count == 84 * 84 * 3)
    #expect(
      start.map.count == start.header.mapWidth * start.header.mapHeight * 3 && start.header.result == nil)
    var last = start
    for _ in 0..<40 { last = try StepFrame(bytes: game.step(KeyState(forward: true, tag: true)).bytes) }
    #expect(game.isOver && last.header.step == 40 && last.header.acknowledged == 40)
    let moved = zip(start.header.position!, last.header.position!).map { abs($0 - $1) }.reduce(0, +)
    #expect(moved > 1, "\(start.header.position!) to \(last.header.position!)")
    #expect(["won", "lost", "drawn"].contains(last.header.result ?? ""))
    #expect(game.match.log.seats == ["person", "random"])
    #expect(try game.match.log.replay().players == game.game.players)
    #expect(throws: TrainingError.self) { try game.step() }
  }

  @Test func aWatchedGameSendsOnlyTheMap() throws {
    var game = try StreamedGame(
      blue: .bot(.scripted), red: .bot(.random), arena: .generated(.tiny), teamSize: 2, steps: 30, seed: 2)
    var frame = game.frame()
    while !game.isOver { frame = try game.step() }
    #expect(frame.header.viewSize == 0 && frame.view.isEmpty && frame.header.player == nil)
    #expect(["blue", "red", "drawn"].contains(frame.header.result ?? ""))
  }

  @Test func damagedFramesAreRefused() throws {
    var game = try StreamedGame(
      request: GameRequest(), teammates: .bot(.random), opponents: .bot(.random), seed: 1)
    let bytes = try game.step().bytes
    #expect(throws: (any Error).self) { try StepFrame(bytes: Array(bytes.dropLast())) }
    #expect(throws: (any Error).self) { try StepFrame(bytes: [255, 255, 255, 127] + bytes.dropFirst(4)) }
    #expect(throws: (any Error).self) { try StepFrame(bytes: [1, 0]) }
  }

  @Test func theCatalogListsRunsAndMembersAndRefusesOtherNames() throws {
    try withTemporaryFolder { folder in
      let configuration = tinyConfiguration()
      _ = try RunFolder.create(at: folder.appendingPathComponent("a"), configuration: configuration)
      _ = try PopulationRun.create(
        at: folder.appendingPathComponent("pop"), configuration: configuration,
        population: tinyPopulation(size: 2))
      try FileManager.default.createDirectory(
        at: folder.appendingPathComponent("empty"), withIntermediateDirectories: true)
      let catalog = RunCatalog(folder: folder)
      #expect(catalog.runs().map(\.name) == ["a", "pop", "pop/members/0", "pop/members/1"])
      #expect(catalog.runs().allSatisfy { !$0.hasCheckpoint })
      #expect(catalog.runs().map(\.isPopulation) == [false, true, false, false])
      #expect(try catalog.url(of: "pop/members/1") == folder.appendingPathComponent("pop/members/1"))
      for name in ["empty", "../a", "/etc", "pop/members"] {
        #expect(throws: TrainingError.self) { try catalog.url(of: name) }
      }
    }
  }

  @Test func peoplesGamesAreKeptAndTalliedByOpponent() throws {
    try withTemporaryFolder { folder in
      let games = PeopleGames(folder: folder.appendingPathComponent("games"))
      var request = GameRequest()
      request.steps = 20
      for opponents in ["random", "random", "scripted"] {
        request.opponents = opponents
        var game = try StreamedGame(
          request: request, teammates: .bot(.random), opponents: .bot(BotKind(rawValue: opponents)!),
          names: ("random", opponents), seed: 3)
        while !game.isOver { try game.step() }
        _ = try games.keep(game.match.log)
      }
      #expect(games.names().count == 3)
      let record = games.record()
      #expect(record.map(\.opponents) == ["random", "scripted"])
      #expect(record.map { $0.won + $0.drawn + $0.lost } == [2, 1])
      #expect(throws: TrainingError.self) { try games.log(named: "../configuration.json") }
    }
  }
}
