import FTWEnvironments
import FTWLayers
import FTWNetworks
import FTWTensor
import Foundation
import Synchronization

/// The focal members of an actor's games, in turn.
final class FocalCounter: Sendable {
  private let count = Atomic<Int>(0)

  func next() -> Int { count.add(1, ordering: .relaxed).oldValue }
}

/// The ratings a population's learner updates and its actors' matchmaking reads, shared between
/// threads.
///
/// ```swift
/// let ratings = SharedRatings(EloRatings(count: 4))
/// let lineup = PopulationTrainer.lineup(population: population, teamSize: 2, opponent: .random, ratings: ratings)
/// ratings.current = newer   // the next round's games are drawn with these
/// ```
public final class SharedRatings: Sendable {
  private let elo: Mutex<EloRatings>

  /// Shares `elo`.
  public init(_ elo: EloRatings) { self.elo = Mutex(elo) }

  /// The ratings now.
  public var current: EloRatings {
    get { elo.withLock { $0 } }
    set { elo.withLock { $0 = newValue } }
  }
}

/// Trains a population, as the FTW paper does, on one machine: actor threads play games whose
/// seats are all filled by members, drawn by the ``Matchmaker`` around a focal member that
/// rotates through the population (in a share, ``PopulationConfiguration/botGames``, the focal
/// member fills its team against bots instead); each member's learner steps on its own seats' trajectories in
/// turn on the calling thread; Elo ratings follow every game; and a member that has trained on
/// ``PopulationConfiguration/minimumFrames`` frames since it last changed copies a member that
/// beats it with probability ``PopulationConfiguration/exploitThreshold`` or more, then explores.
///
/// ```swift
/// let run = try PopulationRun.create(at: url, configuration: configuration, population: population)
/// let trainer = try PopulationTrainer(configuration: configuration, population: population, run: run, resume: false)
/// try trainer.train(budget: TrainingBudget(minutes: 60), stop: StopSignal()) { print($0.ratings) }
/// ```
public final class PopulationTrainer {
  /// The members' training configuration.
  public let configuration: TrainingConfiguration
  /// The population's.
  public let population: PopulationConfiguration
  /// The run's folder.
  public let run: PopulationRun
  /// The members.
  public let members: [PopulationMember]
  /// Checkpoints refused on resuming, with the reason.
  public private(set) var refusedCheckpoints: [CheckpointError] = []
  /// Ratings, lineage and counts.
  public private(set) var state: PopulationState

  private var seeds: SplitMix64
  /// Each member's last games, from its side.
  private var recent: [RecentGames]
  /// The ratings the actors' matchmaking reads, this session's.
  private var ratings = SharedRatings(EloRatings(count: 1))
  /// Learner steps of this session, every member's.
  private var steps = 0
  /// The frames per second at the last step.
  private var framesPerSecond = 0.0
  /// Each member's league of bots for its bot games, against the `league` opponent.
  private let leagues: [League]
  /// The scale the leagues' games rate the members on.
  private let ladder: BotLadder?

  /// Prepares a population run: new members with values drawn as ``PopulationConfiguration/initialSpread``
  /// says, or with `resume` the
  /// members' newest checkpoints that load and the saved state.
  public init(
    configuration: TrainingConfiguration, population: PopulationConfiguration, run: PopulationRun,
    resume: Bool
  ) throws {
    try configuration.validate()
    try population.validate()
    let bots = PopulationConfiguration.botOpponents
    if population.botGames > 0, !bots.contains(configuration.world.opponent) {
      throw TrainingError(
        "a population's bot games are against \(bots.map(\.rawValue).joined(separator: ", ")), not \(configuration.world.opponent.rawValue)"
      )
    }
    leagues = configuration.world.makeLeagues(members: population.size)
    ladder = leagues.isEmpty ? nil : try BotLadder.bundled()
    self.configuration = configuration
    self.population = population
    self.run = run
    seeds = SplitMix64(seed: configuration.seeds.seed(for: .evolution))
    var members: [PopulationMember] = []
    for index in 0..<population.size {
      let values = EvolvedValues.sample(from: configuration, spread: population.initialSpread, seeds: &seeds)
      var generator = RandomGenerator(seed: configuration.seeds.seed(for: .member(index)))
      members.append(
        try PopulationMember(
          index: index, configuration: configuration, values: values, generator: &generator))
    }
    self.members = members
    recent = Array(repeating: RecentGames(), count: population.size)
    state = PopulationState(
      members: members.map(\.record), elo: EloRatings(count: population.size, k: population.eloK))
    if resume { try restore() }
  }

  private func restore() throws {
    guard let saved = try run.state() else {
      throw TrainingError("\(run.url.path) has no population-state.json yet: it never reached a checkpoint")
    }
    guard saved.members.count == members.count, saved.elo.ratings.count == members.count else {
      throw TrainingError(
        "\(run.stateURL.path) holds \(saved.members.count) members, population.json \(members.count)")
    }
    for (member, record) in zip(members, saved.members) {
      let (checkpoint, refused) = try run.member(member.index).checkpoints.loadNewestValid()
      refusedCheckpoints += refused
      try member.learner.restore(
        from: checkpoint, configuration: configuration.checkpointEntries,
        extraModules: member.auxiliaryTasks.modules)
      try member.restore(record)
    }
    state = saved
    // Rows and events after the checkpoint happen again.
    try run.trim(after: saved.frames)
    for (member, record) in zip(members, saved.members) {
      try run.member(member.index).trimMetrics(after: record.frames)
    }
  }

  /// Writes every member's checkpoint, then the state, and draws the charts.
  public func saveCheckpoint() throws {
    for member in members {
      try member.learner.save(
        to: run.member(member.index).checkpoints, configuration: configuration.checkpointEntries,
        extraModules: member.auxiliaryTasks.modules,
        counters: ["frames": member.record.frames, "wall_milliseconds": Int(state.wallSeconds * 1000)])
    }
    state.members = members.map(\.record)
    try run.write(state)
    try PopulationCharts(run: run).draw()
  }

  /// Trains until the budget is spent or `stop` is raised, then checkpoints (the learner loop,
  /// ``LearnerLoopRun/runLearnerLoop(budget:stop:source:report:)``, which this run watches with its
  /// ratings, matchmaking and evolution). `report` is called on the calling thread after every
  /// learner step. Experience comes from `source` when given (which is handed every member's
  /// weights and the ratings first, the ratings again after every step, and is finished at the
  /// end), else from actor threads the trainer starts.
  public func train(
    budget: TrainingBudget, stop: StopSignal, source: (any ExperienceSource)? = nil,
    report: (TrainingProgress) -> Void
  ) throws {
    (steps, ratings) = (0, SharedRatings(state.elo))
    try runLearnerLoop(budget: budget, stop: stop, source: source, report: report)
  }

  /// Appends the population's rows: the ratings and every member's values.
  private func appendRows() throws {
    try run.appendRatings(state, framesPerSecond: framesPerSecond)
    try run.appendValues(state)
  }

  /// The Elo updates and each member's results of `games`.
  private func record(_ games: [GameRecord]) {
    for game in games {
      state.games += 1
      guard game.members.allSatisfy({ !$0.isEmpty }) else {
        if let botRating = population.botRating, let team = game.members.firstIndex(where: { !$0.isEmpty }) {
          let outcome = GameOutcome(scores: [game.scores[team], game.scores[1 - team]])
          state.elo.record(team: game.members[team], againstFixed: botRating, outcome: outcome)
        }
        continue
      }
      state.elo.record(teams: game.members, outcome: game.outcome)
      for (team, seated) in game.members.enumerated() {
        for member in Set(seated) where !game.members[1 - team].contains(member) {
          recent[member].append([game.result(forTeam: team)])
        }
      }
    }
  }

  /// When `member` is eligible, the exploit and explore of PBT: a random other member, copied if
  /// it is predicted to beat `member` with at least the threshold's probability.
  private func evolve(_ member: PopulationMember) throws -> EvolutionEvent? {
    guard
      let (donorIndex, probability) = population.donor(
        for: member.index, records: members.map(\.record), elo: state.elo, seeds: &seeds)
    else { return nil }
    let donor = members[donorIndex]
    let ratings = state.elo.ratings
    let (before, after) = try member.exploit(donor, rule: population, seeds: &seeds)
    state.elo.ratings[member.index] = ratings[donor.index]
    state.evolutions += 1
    recent[member.index].removeAll()
    let event = EvolutionEvent(
      wallSeconds: state.wallSeconds, frames: state.frames, member: member.index, donor: donor.index,
      memberRating: ratings[member.index], donorRating: ratings[donor.index],
      donorWinProbability: probability,
      generation: member.record.generation, before: before, after: after)
    try run.log(event)
    return event
  }

  /// A member's row of its own metrics: its frames and steps, its games from its side.
  private func memberProgress(_ member: PopulationMember, step: LearnerStep) -> TrainingProgress {
    var progress = TrainingProgress(
      frames: member.record.frames, games: state.games, learnerSteps: member.learner.stepCount,
      recent: recent[member.index], step: step)
    if let ladder, member.index < leagues.count {
      progress.ladderElo = leagues[member.index].ladderRating(on: ladder)?.rating
    }
    return progress
  }

  /// One actor's lineup: each game is drawn around the next focal member (turn `t`'s is member
  /// `t % size`), its team on side `(t / size) % 2`, so every member's team takes both sides in
  /// turn whatever the number of games; with probability ``PopulationConfiguration/botGames`` the
  /// focal member fills its team and `opponent` the other (against the league, an opponent drawn
  /// from the member's league in `leagues`).
  public static func lineup(
    population: PopulationConfiguration, teamSize: Int, opponent: OpponentKind, ratings: SharedRatings,
    leagues: [League]
  ) -> GameActor.Lineup {
    let matchmaker = Matchmaker(standardDeviation: population.matchmakingDeviation)
    let focal = FocalCounter()
    let (size, botGames) = (population.size, population.botGames)
    return { games, seeds in
      let elo = ratings.current
      return (0..<games).map { _ in
        let turn = focal.next()
        let member = turn % size
        let teams: [[SeatPlayer]]
        if botGames > 0, seeds.nextUnit() < botGames {
          let bots =
            opponent == .league
            ? leagues[member].draw(using: &seeds).seatPlayer : GameActor.opponent(opponent, seeds: &seeds)
          teams = [
            Array(repeating: .member(member), count: teamSize), Array(repeating: bots, count: teamSize),
          ]
        } else {
          teams = matchmaker.drawGame(focal: member, teamSize: teamSize, ratings: elo, seeds: &seeds)
            .map { $0.map { SeatPlayer.member($0) } }
        }
        return turn / size % 2 == 0 ? teams[0] + teams[1] : teams[1] + teams[0]
      }
    }
  }
}

extension PopulationTrainer: LearnerLoopRun {
  var memberCount: Int { members.count }
  var earlierSeconds: Double { state.wallSeconds }

  func parts(of member: Int) -> (agent: Agent, learner: FtwLearner, auxiliaryTasks: AuxiliaryTasks) {
    let member = members[member]
    return (member.agent, member.learner, member.auxiliaryTasks)
  }

  /// `external`, handed the ratings and every member's weights, or actor threads playing games
  /// drawn by matchmaking on the shared ratings.
  func startSource(_ external: (any ExperienceSource)?) throws -> any ExperienceSource {
    let weights = members.map { $0.agent.snapshot(version: $0.learner.stepCount) }
    if let external {
      external.publish(state.elo)
      for (member, snapshot) in weights.enumerated() { external.publish(snapshot, of: member) }
      return external
    }
    let (population, teamSize, opponent, ratings, leagues) = (
      population, configuration.world.teamSize, configuration.world.opponent, ratings, leagues
    )
    return try makeExperienceSource(
      configuration: configuration, weights: weights,
      lineup: {
        Self.lineup(
          population: population, teamSize: teamSize, opponent: opponent, ratings: ratings, leagues: leagues)
      }, leagues: leagues)
  }

  /// The Elo updates and each member's results of `games`; matchmaking reads the new ratings.
  func observe(_ games: [GameRecord]) {
    record(games)
    ratings.current = state.elo
  }

  func count(frames: Int, of member: Int) {
    members[member].count(frames: frames)
    state.frames += frames
  }

  /// The member's evolution if it is due, its metrics row every 10 of its steps and the
  /// population's rows every 10 steps of each member.
  func learned(_ step: LearnerStep) throws -> TrainingProgress {
    state.wallSeconds = step.seconds
    framesPerSecond = step.framesPerSecond
    let member = members[step.member]
    let evolution = try evolve(member)
    if evolution != nil { ratings.current = state.elo }
    state.members = members.map(\.record)
    steps += 1
    if member.learner.stepCount % 10 == 0 {
      try run.member(member.index).append(MetricsRow(memberProgress(member, step: step)))
    }
    if steps % (10 * members.count) == 0 { try appendRows() }
    var progress = TrainingProgress(
      frames: state.frames, games: state.games, learnerSteps: member.learner.stepCount,
      recent: recent[member.index], step: step)
    (progress.ratings, progress.generations) = (state.elo.ratings, members.map(\.record.generation))
    (progress.evolutions, progress.evolution) = (state.evolutions, evolution)
    return progress
  }

  func publishState(to source: any ExperienceSource) { source.publish(state.elo) }

  func saveCheckpoint(wallSeconds: Double) throws {
    state.wallSeconds = wallSeconds
    try saveCheckpoint()
  }

  func finishSession(wallSeconds: Double) throws {
    state.wallSeconds = wallSeconds
    try appendRows()
    try saveCheckpoint()
  }
}
