import FTWAgentTestSupport
import FTWEnvironments
import FTWTensor
import Foundation
import Testing

@testable import FTWAgent

@Suite struct LeagueTests {
  @Test func evenWeightingFavoursOpponentsBeatenHalfTheTime() {
    let shares = LeagueWeighting.even.shares(scores: [1, 0.9, 0.5, 0.2, 0])
    // p (1 - p) with the floor 0.08 / 4 = 0.02: 0.02, 0.09, 0.25, 0.16, 0.02 over 0.54.
    let expected = [0.02, 0.09, 0.25, 0.16, 0.02].map { $0 / 0.54 }
    for (share, want) in zip(shares, expected) { #expect(abs(share - want) < 1e-12, "\(shares)") }
  }

  @Test func theCurriculumFocusesOnTheFirstOpponentNotYetBeaten() {
    #expect(LeagueWeighting.curriculum.shares(scores: [0.5, 0.5, 0.5]) == [1, 0, 0])
    let climbing = LeagueWeighting.curriculum.shares(scores: [0.95, 0.8, 0.4, 0.1])
    #expect(zip(climbing, [0.125, 0.125, 0.75, 0]).allSatisfy { abs($0 - $1) < 1e-12 }, "\(climbing)")
    let done = LeagueWeighting.curriculum.shares(scores: [0.9, 0.9])
    #expect(zip(done, [0.25, 0.75]).allSatisfy { abs($0 - $1) < 1e-12 }, "\(done)")
  }

  @Test(arguments: LeagueWeighting.allCases)
  func drawsFollowTheSharesOverManyGames(weighting: LeagueWeighting) {
    let league = League(opponents: League.ladderOpponents(), weighting: weighting, window: 10)
    // Scores 1, 1, 0.7, 0.5, 0.3, 0, 0 against the rungs, weakest first.
    for (opponent, wins) in zip(league.opponents, [10, 10, 7, 5, 3, 0, 0]) {
      for game in 0..<10 { league.record(score: game < wins ? 1 : 0, against: opponent) }
    }
    let shares = league.shares
    var seeds = SplitMix64(seed: 9)
    var counts = [League.Opponent: Int]()
    let draws = 40_000
    for _ in 0..<draws { counts[league.draw(using: &seeds), default: 0] += 1 }
    for (opponent, share) in zip(league.opponents, shares) {
      let observed = Double(counts[opponent, default: 0]) / Double(draws)
      // Four standard deviations of a binomial share.
      let bound = 4 * (share * (1 - share) / Double(draws)).squareRoot() + 1e-9
      #expect(abs(observed - share) <= bound, "\(opponent): \(observed) against \(share)")
    }
  }

  @Test func scoresKeepTheLatestGamesAndStartAtAHalf() {
    let league = League(opponents: [.bot(.random), .bot(.scripted)], weighting: .even, window: 4)
    #expect(league.scores == [0.5, 0.5])
    for score in [0.0, 0, 0, 0, 1, 1, 1, 1] { league.record(score: score, against: .bot(.random)) }
    // The four latest wins and the virtual draw: 4.5 of 5.
    #expect(league.scores[0] == 0.9 && league.gamesCounted == [4, 0])
  }

  @Test func theLeagueRatesTheAgentOnTheLadder() {
    let ladder = BotLadder(
      command: "test", arena: "tiny", teamSize: 2, stepsPerGame: 100, gamesPerPair: 1, seed: 1,
      ratings: [.init(bot: "random", elo: 0), .init(bot: "novice", elo: 400), .init(bot: "easy", elo: 800)],
      pairings: [])
    let league = League(
      opponents: [.bot(.random), .bot(.novice), .bot(.easy)], weighting: .even, window: 100)
    #expect(league.ladderRating(on: ladder) == nil)
    // Scores 0.91, 0.5 and 0.09 are what a rating of 400 expects against 0, 400 and 800.
    for (opponent, wins) in [(League.Opponent.bot(.random), 91), (.bot(.novice), 50), (.bot(.easy), 9)] {
      for game in 0..<100 { league.record(score: game < wins ? 1 : 0, against: opponent) }
    }
    let rating = league.ladderRating(on: ladder)
    #expect(
      rating.map { abs($0.rating - 400) < 5 && $0.interval.contains(400) } == true,
      "\(String(describing: rating))")
  }

  @Test func anActorAgainstTheLeagueDrawsItsOpponentsAndReportsItsGames() throws {
    var configuration = tinyConfiguration()
    configuration.world.opponent = .league
    let league = try #require(configuration.world.makeLeagues().first)
    #expect(league.opponents.contains(.snapshot))
    let actor = try GameActor(configuration: configuration, index: 0, leagues: [league])
    var generator = RandomGenerator(seed: 1)
    let agent = try Agent(configuration: configuration, generator: &generator)
    actor.load(agent.snapshot(version: 0))
    // Games of 20 steps in trajectories of 5: two rounds of two games.
    for _ in 0..<8 { _ = try actor.nextTrajectories() }
    #expect(league.gamesCounted.reduce(0, +) == 4, "\(league.gamesCounted)")
  }

  @Test func aPopulationsBotGamesDrawFromEachMembersLeagueAndReportToIt() throws {
    var configuration = tinyConfiguration()
    configuration.world.opponent = .league
    configuration.acting.gamesPerActor = 4
    var population = tinyPopulation(size: 2)
    population.botGames = 0.99
    let leagues = configuration.world.makeLeagues(members: 2)
    #expect(leagues.count == 2 && !leagues.contains { $0.opponents.contains(.snapshot) })
    // Member 1 has beaten every rung but the expert: the even weighting sends it there.
    for bot in BotKind.ladder.dropLast() {
      for _ in 0..<40 { leagues[1].record(score: 1, against: .bot(bot)) }
    }
    let lineup = PopulationTrainer.lineup(
      population: population, teamSize: 1, opponent: .league,
      ratings: SharedRatings(EloRatings(count: 2, k: 32)), leagues: leagues)
    var seeds = SplitMix64(seed: 4)
    var opponents: [[SeatPlayer]] = [[], []]
    for seats in (0..<100).flatMap({ _ in lineup(2, &seeds) }) {
      guard let member = seats.compactMap({ if case .member(let m) = $0 { m } else { nil } }).first,
        let bot = seats.first(where: { if case .bot = $0 { true } else { false } })
      else { continue }
      opponents[member].append(bot)
    }
    #expect(opponents[0].count > 90 && opponents[1].count > 90)
    #expect(Set(opponents[0]).count == BotKind.ladder.count)
    let expertShare = Double(opponents[1].filter { $0 == .bot(.expert) }.count) / Double(opponents[1].count)
    #expect(expertShare > 0.5, "\(expertShare)")
    // An actor with such a lineup reports each member's games to its own league.
    let fresh = configuration.world.makeLeagues(members: 2)
    let actor = try GameActor(
      configuration: configuration, index: 0,
      lineup: PopulationTrainer.lineup(
        population: population, teamSize: 1, opponent: .league,
        ratings: SharedRatings(EloRatings(count: 2, k: 32)), leagues: fresh),
      leagues: fresh)
    var generator = RandomGenerator(seed: 1)
    let agent = try Agent(configuration: configuration, generator: &generator)
    for member in 0..<2 { actor.load(agent.snapshot(version: 0), member: member) }
    // Games of 20 steps in trajectories of 5: one round of four games, two for each member.
    for _ in 0..<4 { _ = try actor.nextTrajectories() }
    #expect(fresh.map { $0.gamesCounted.reduce(0, +) } == [2, 2])
  }

  @Test func metricsRowsCarryTheLadderEloAndTheLagAndReadEarlierRows() throws {
    var row = MetricsRow(
      wallSeconds: 1, frames: 2, learnerSteps: 3, games: 4, framesPerSecond: 5, winRate: 0.5, captures: 1,
      opponentCaptures: 0, pickups: 2, loss: 1, policyLoss: 1, criticLoss: 1, entropyLoss: 1, klLoss: 0,
      pixelControlLoss: 0, rewardPredictionLoss: 0, gradientNorm: 1, ladderElo: 1234.5, lagMedian: 2.5,
      lagMaximum: 7, clippedImportanceShare: 0.125)
    #expect(row.csv.hasSuffix(",1234.5,2.5,7,0.1250"))
    #expect(MetricsRow(csv: Substring(row.csv)) == row)
    #expect(MetricsRow(csv: Substring(row.csv + ",1")) == nil)
    #expect(MetricsRow(csv: Substring(row.csv.replacingOccurrences(of: ",7,", with: ",nan,"))) == nil)
    (row.lagMedian, row.lagMaximum, row.clippedImportanceShare) = (nil, nil, nil)
    // An earlier build's row: 18 fields, no lag.
    let withoutLag = row.csv.split(separator: ",", omittingEmptySubsequences: false).prefix(18).joined(
      separator: ",")
    #expect(MetricsRow(csv: Substring(withoutLag)) == row)
    row.ladderElo = nil
    #expect(MetricsRow(csv: Substring(row.csv)) == row)
    // An earlier build's row: 17 fields, no ladder Elo.
    let earlier = row.csv.split(separator: ",", omittingEmptySubsequences: false).prefix(17).joined(
      separator: ",")
    #expect(MetricsRow(csv: Substring(earlier)) == row)
    #expect(MetricsRow(csv: Substring(earlier + ",inf")) == nil)
  }
}
