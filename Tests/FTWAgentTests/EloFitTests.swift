import FTWEnvironments
import Foundation
import Testing

@testable import FTWAgent

@Suite struct EloFitTests {
  /// `games` games between players rated `a` and `b` with exactly the expected results, no draws.
  func expected(_ a: Double, _ b: Double, games: Int) -> EvaluationResult {
    var result = EvaluationResult()
    result.wins = Int((Double(games) * EloFit.expectedScore(a, b)).rounded())
    result.losses = games - result.wins
    return result
  }

  @Test func aRoundRobinWithTheExpectedResultsGivesBackTheRatings() {
    let truth = [0.0, 150, 400, 520]
    let tallies = truth.indices.map { i in
      truth.indices.map { j in i == j ? EvaluationResult() : expected(truth[i], truth[j], games: 20_000) }
    }
    let fitted = EloFit.ratings(tallies, anchor: 0)
    for (fit, true_) in zip(fitted, truth) { #expect(abs(fit - true_) < 3, "\(fitted)") }
    // Anchored elsewhere, the same differences.
    let shifted = EloFit.ratings(tallies, anchor: 2)
    #expect(abs(shifted[2]) < 1e-9 && abs(shifted[0] + 400) < 3, "\(shifted)")
  }

  @Test func oneSidedResultsStayFiniteThroughTheVirtualDraw() {
    var sweep = EvaluationResult()
    sweep.wins = 200
    let tallies = [[EvaluationResult(), sweep.reversed], [sweep, EvaluationResult()]]
    let fitted = EloFit.ratings(tallies, anchor: 0)
    // 200.5 points of 201 games: 400 log10(200.5 / 0.5).
    #expect(abs(fitted[1] - 400 * log10(401)) < 0.01, "\(fitted)")
  }

  @Test func onePlayerAgainstFixedRatingsAndItsInterval() {
    let ladder = [0.0, 300, 600, 900]
    let results = ladder.map { expected(450, $0, games: 4_000) }
    let (rating, interval) = EloFit.rating(of: results, against: ladder)
    #expect(abs(rating - 450) < 3)
    #expect(interval.contains(450))
    // The interval narrows as the square root of the games.
    let (_, wider) = EloFit.rating(of: ladder.map { expected(450, $0, games: 1_000) }, against: ladder)
    let ratio = (wider.upperBound - wider.lowerBound) / (interval.upperBound - interval.lowerBound)
    #expect(abs(ratio - 2) < 0.05, "\(ratio)")
  }

  @Test func oneLossToAFarStrongerPlayerDoesNotPullARatingUp() {
    var draws = EvaluationResult()
    draws.draws = 6
    var loss = EvaluationResult()
    loss.losses = 1
    let (rating, _) = EloFit.rating(of: [draws, loss], against: [0, 2_300])
    #expect(rating < 150, "\(rating)")
  }

  @Test func rungsThatWereNotPlayedDoNotCount() {
    let ladder = [0.0, 300, 2_000]
    var results = [0.0, 300].map { expected(150, $0, games: 2_000) }
    results.append(EvaluationResult())
    let (rating, _) = EloFit.rating(of: results, against: ladder)
    #expect(abs(rating - 150) < 3)
  }

  @Test func aLadderFileNamingAnUnknownBotIsRefused() throws {
    let url = FileManager.default.temporaryDirectory.appending(path: "ladder-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: url) }
    var ladder = BotLadder(
      command: "test", arena: "tiny", teamSize: 2, stepsPerGame: 100, gamesPerPair: 1, seed: 1,
      ratings: [.init(bot: "random", elo: 0), .init(bot: "scripted", elo: 900)],
      pairings: [.init(bot: "random", opponent: "scripted", wins: 0, draws: 1, losses: 0)])
    try ladder.save(to: url)
    #expect(try BotLadder.load(from: url) == ladder)
    ladder.ratings[1].bot = "grandmaster"
    try ladder.save(to: url)
    #expect(throws: TrainingError.self) { try BotLadder.load(from: url) }
  }

  @Test func theBundledLadderSpacesItsRungsAtLeast100EloApart() throws {
    let ladder = try BotLadder.bundled()
    let rungs = ladder.rungs
    #expect(rungs.map(\.bot) == BotKind.ladder)
    #expect(rungs.first?.elo == 0)
    for (lower, higher) in zip(rungs, rungs.dropFirst()) {
      #expect(higher.elo - lower.elo >= 100, "\(lower) and \(higher)")
    }
    #expect(ladder.gamesPerPair >= 200 && ladder.pairings.count == rungs.count * (rungs.count - 1) / 2)
    // Its ratings are the fit of its own results.
    let names = ladder.ratings.map(\.bot)
    var tallies = names.map { _ in names.map { _ in EvaluationResult() } }
    for pairing in ladder.pairings {
      let (i, j) = (names.firstIndex(of: pairing.bot)!, names.firstIndex(of: pairing.opponent)!)
      (tallies[i][j].wins, tallies[i][j].draws, tallies[i][j].losses) = (
        pairing.wins, pairing.draws, pairing.losses
      )
      tallies[j][i] = tallies[i][j].reversed
    }
    let refitted = EloFit.ratings(tallies, anchor: names.firstIndex(of: "random")!)
    for (rating, elo) in zip(ladder.ratings, refitted) {
      #expect(abs(rating.elo - elo) < 0.01, "\(rating.bot)")
    }
  }

  @Test func aRungRatedOnTheLadderLandsNearItsOwnRating() throws {
    let ladder = try BotLadder.bundled()
    var environment = try TrainingConfiguration.World().environmentConfiguration()
    environment.viewSize = 8
    let evaluation = try LadderEvaluation.run(
      EvaluationTeam(.bot(.medium)), ladder: ladder, environment: environment, games: 120, seed: 7)
    let medium = try #require(ladder.rating(of: .medium))
    #expect(abs(evaluation.rating - medium) < 200, "\(evaluation.rating) against \(medium)")
    #expect(evaluation.interval.contains(evaluation.rating))
    #expect(evaluation.rungs.map(\.result.games).reduce(0, +) == 120)
    // The rungs far below and above get only the first round's games.
    #expect(evaluation.rungs.first?.result.games == 10 && evaluation.rungs.last?.result.games == 10)
    #expect(evaluation.svg().contains("ladder Elo"))
  }

  @Test func aTinyRoundRobinRatesTheScriptedBotAboveTheRandomOne() throws {
    var world = TrainingConfiguration.World()
    world.stepsPerGame = 200
    let ladder = try BotLadder.measure(
      [.random, .scripted], world: world, gamesPerPair: 4, seed: 3, command: "test")
    #expect(ladder.ratings.map(\.bot) == ["random", "scripted"])
    #expect(ladder.rating(of: .random) == 0)
    #expect((ladder.rating(of: .scripted) ?? 0) > 100)
    #expect(ladder.pairings.count == 1)
  }
}
