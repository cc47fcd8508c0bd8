import FTWEnvironments
import FTWLayers
import FTWNetworks
import FTWTensor

/// Plays games of capture the flag and cuts every learning member's experience into trajectories
/// of `T + 1` steps: the learners' batches. Each member acts for all its seats in one batch on the
/// acting path (no gradient graph); bots and snapshots play the other seats.
///
/// Games start together and last a multiple of `T` steps, so every trajectory lies inside one
/// game; consecutive trajectories share a step (the last of one is the first of the next), as
/// IMPALA's do. Who plays each seat is decided when the games start, by the actor's lineup: a
/// single agent (the default lineup) plays team `g % 2` of game `g`, so it learns both sides,
/// against the configuration's opponent; a population run passes its matchmaking.
///
/// ```swift
/// let actor = try GameActor(configuration: configuration, index: 0)
/// actor.load(learnerAgent.snapshot(version: 0))
/// let trajectory = try actor.nextTrajectory()  // [T + 1, gamesPerActor * teamSize]
/// ```
public final class GameActor {
  /// The seats of every game of a round, `[game][player]`, drawn with the actor's seeds.
  public typealias Lineup = @Sendable (_ games: Int, _ seeds: inout SplitMix64) -> [[SeatPlayer]]

  /// What it plays and how.
  public let configuration: TrainingConfiguration
  /// The version of member 0's weights it acts with.
  public var weightsVersion: Int { weightsVersion(of: 0) }

  /// The version of `member`'s newest weights loaded (`-1`: none yet).
  public func weightsVersion(of member: Int) -> Int { agents.version(of: member) }

  private let lineup: Lineup
  private let games: [CaptureTheFlag]
  /// Each member's copy of its agent, and the version of the weights loaded into it.
  private let agents: MemberAgents
  /// The members and pick-ups of the games in progress, and the records of those finished.
  private var tally: GameTally
  /// The members' seats of this round, one group per member.
  private var groups: [SeatGroup] = []
  /// Who plays the other seats of this round, grouped so an agent acts in one batch.
  private var others: [TeamController] = []
  /// Earlier weights of member 0 kept as opponents.
  private let snapshots: SnapshotPool
  /// Each member's league, which its opponents are drawn from and its games' results go to (none
  /// unless the opponent is the league).
  private let leagues: [League]
  /// Who plays each seat of the games in progress, `[game][player]`.
  private var lineups: [[SeatPlayer]] = []
  /// Every player's last time step, by game.
  private var lastSteps: [[TimeStep]] = []
  private var generator: RandomGenerator
  private var seeds: SplitMix64
  private var needsReset = true

  /// An actor whose games and sampling are seeded from the configuration's seed and `index`;
  /// `lineup` decides who plays each seat (by default, member 0 against the configuration's
  /// opponent). Against the `league` opponent, a game in which one member fills a team against a
  /// league opponent reports its result to that member's league in `leagues` (shared with other
  /// actors and the learner); without them, member 0 has a league of the actor's own.
  public init(
    configuration: TrainingConfiguration, index: Int, lineup: Lineup? = nil, leagues: [League]? = nil
  ) throws {
    self.configuration = configuration
    let leagues = leagues ?? configuration.world.makeLeagues()
    self.leagues = leagues
    self.lineup = lineup ?? Self.singleAgentLineup(configuration, league: leagues.first)
    let runSeeds = configuration.seeds
    generator = RandomGenerator(seed: runSeeds.seed(for: .acting(actor: index)))
    seeds = SplitMix64(seed: runSeeds.seed(for: .lineups(actor: index)))
    let environment = try configuration.world.environmentConfiguration()
    games = try (0..<configuration.acting.gamesPerActor).map { game in
      try CaptureTheFlag(
        configuration: environment, seed: runSeeds.seed(for: .game(actor: index, game: game)))
    }
    tally = GameTally(teamSize: configuration.world.teamSize)
    agents = try MemberAgents(configuration: configuration, actor: index)
    // A population's leagues hold no snapshots: its members play each other.
    let drawsSnapshots =
      leagues.isEmpty
      ? configuration.world.opponent.drawsSnapshots : leagues.contains { $0.opponents.contains(.snapshot) }
    snapshots = SnapshotPool(configuration: configuration, keeps: drawsSnapshots)
  }

  /// Member 0 in team `g % 2` of game `g`; in the other team, the configuration's opponent (drawn
  /// from `league` against the league).
  static func singleAgentLineup(_ configuration: TrainingConfiguration, league: League?) -> Lineup {
    { games, seeds in
      (0..<games).map { game in
        let other =
          league.map { $0.draw(using: &seeds).seatPlayer }
          ?? opponent(configuration.world.opponent, seeds: &seeds)
        let agentTeam = Array(repeating: SeatPlayer.member(0), count: configuration.world.teamSize)
        let otherTeam = Array(repeating: other, count: configuration.world.teamSize)
        return game % 2 == 0 ? agentTeam + otherTeam : otherTeam + agentTeam
      }
    }
  }

  /// Who fills the other team's seats in a game against `kind`.
  static func opponent(_ kind: OpponentKind, seeds: inout SplitMix64) -> SeatPlayer {
    switch kind {
    case .random: .bot(.random)
    case .scripted: .bot(.scripted)
    case .bots: .bot(seeds.next(below: 2) == 0 ? .random : .scripted)
    case .snapshots: .snapshot
    case .mixed: [.bot(.random), .bot(.scripted), .snapshot][seeds.next(below: 3)]
    case .league: preconditionFailure("league games draw their opponents from the league")
    }
  }

  /// Throws unless `snapshot` fits the actor's agents (see ``Agent/check(_:)``): check weights
  /// that come from outside the process before ``load(_:member:)``.
  public func check(_ snapshot: WeightSnapshot) throws { try agents.check(snapshot) }

  /// Acts for `member` with `snapshot`'s weights from the next step on, and keeps one of member
  /// 0's every `snapshotInterval` learner steps as a possible opponent.
  public func load(_ snapshot: WeightSnapshot, member: Int = 0) {
    agents.load(snapshot, member: member)
    if member == 0 { snapshots.keep(snapshot) }
  }

  /// The games finished since the last call.
  public func takeGames() -> [GameRecord] {
    tally.take()
  }

  /// Member 0's next trajectory batch `[T + 1, seats]` (for a lineup in which only member 0
  /// learns).
  public func nextTrajectory() throws -> TrajectoryBatch {
    let batches = try nextTrajectories()
    precondition(batches.count == 1 && batches[0].member == 0, "the lineup has members other than 0")
    return batches[0].trajectory
  }

  /// Plays `T` steps of every game and returns each member's steps as one experience (a
  /// trajectory batch `[T + 1, its seats]`, no games: ``takeGames()`` has those), in the order of
  /// the members. The networks act in the configuration's precision, the learner's, so that the
  /// policy that acts is the one the learner evaluates.
  public func nextTrajectories() throws -> [Experience] {
    try Precision.$current.withValue(configuration.learning.precision.resolved ?? .fp32) {
      try playTrajectories()
    }
  }

  private func playTrajectories() throws -> [Experience] {
    if needsReset { try startGames() }
    let length = configuration.learning.unrollLength
    let spec = games[0].observationSpec
    for group in groups { group.beginTrajectory() }
    for t in 0...length {
      let isLast = lastSteps[0][0].stepType == .last
      for group in groups {
        try group.act(steps: lastSteps, observationSpec: spec, isLast: isLast, generator: &generator)
      }
      guard t < length else {
        if isLast { needsReset = true }
        for group in groups { group.endTrajectory(keepingAction: !isLast) }
        break
      }
      try advanceGames()
      if lastSteps[0][0].stepType == .last { recordGames() }
    }
    return groups.map {
      Experience(
        member: $0.member, trajectory: $0.trajectory(), games: [],
        weightsVersion: agents.loadedVersion(of: $0.member))
    }
  }

  /// Resets every game, draws the lineup, loads each member's newest weights, and clears the
  /// seats' memories.
  private func startGames() throws {
    let teamSize = configuration.world.teamSize
    lastSteps = games.map { $0.reset() }
    lineups = lineup(games.count, &seeds)
    precondition(
      lineups.count == games.count && lineups.allSatisfy { $0.count == 2 * teamSize },
      "a lineup has every seat of every game")
    var seatsByPlayer: [SeatPlayer: [(game: Int, player: Int)]] = [:]
    for (game, players) in lineups.enumerated() {
      for (player, who) in players.enumerated() { seatsByPlayer[who, default: []].append((game, player)) }
    }
    tally.start(lineups)
    groups = []
    others = []
    for (who, seats) in seatsByPlayer.sorted(by: { Self.order($0.key) < Self.order($1.key) }) {
      switch who {
      case .member(let member):
        let agent = try agents.agent(for: member)
        groups.append(try SeatGroup(member: member, agent: agent, seats: seats))
      case .bot(let kind):
        others.append(try TeamController(player: .bot(kind), seats: seats, seed: seeds.next()))
      case .snapshot:
        let opponent = try snapshots.opponent(seeds: &seeds)
        others.append(try TeamController(player: .agent(opponent), seats: seats, seed: seeds.next()))
      }
    }
    needsReset = false
  }

  /// The order groups act in: members by index, then bots, then snapshots.
  private static func order(_ player: SeatPlayer) -> Int {
    switch player {
    case .member(let member): member
    case .bot(let kind): Int.max / 2 + (BotKind.allCases.firstIndex(of: kind) ?? 0)
    case .snapshot: Int.max
    }
  }

  /// Steps every game with the members' chosen actions in their seats and the others' in theirs.
  private func advanceGames() throws {
    var gameActions = games.map { [[Int]](repeating: CTFAction.none.components, count: $0.playerCount) }
    for index in others.indices {
      try others[index].act(games: games, steps: lastSteps, into: &gameActions)
    }
    for group in groups { try group.write(into: &gameActions) }
    lastSteps = try games.indices.map { try games[$0].step(gameActions[$0]) }
    tally.count(lastSteps)
    for group in groups { group.observe(lastSteps) }
  }

  private func recordGames() {
    tally.finish(scores: games.map(\.teamScores))
    guard !leagues.isEmpty else { return }
    let teamSize = configuration.world.teamSize
    for (game, players) in zip(games, lineups) {
      // A member's whole team against a league opponent: the other team's first seat says which.
      for team in 0..<2 {
        let seats = players[(team * teamSize)..<((team + 1) * teamSize)]
        guard case .member(let member) = seats.first, member < leagues.count,
          seats.allSatisfy({ $0 == .member(member) }),
          let opponent = League.Opponent(players[(1 - team) * teamSize])
        else { continue }
        let result = GameResult(captures: game.teamScores[team], opponentCaptures: game.teamScores[1 - team])
        leagues[member].record(score: result.score, against: opponent)
      }
    }
  }
}

/// The seats one member plays in a round, acting in one batch, and the trajectory being recorded.
private final class SeatGroup {
  let member: Int
  private var policy: SeatPolicy
  /// The action chosen at the last step of the previous trajectory, which is this one's first.
  private var pending: (action: IndexTensor, logits: Tensor, state: RPTHState)?
  private var chosen: (action: IndexTensor, logits: Tensor, state: RPTHState)?
  private var recorder: TrajectoryRecorder

  init(member: Int, agent: Agent, seats: [(game: Int, player: Int)]) throws {
    self.member = member
    policy = try SeatPolicy(agent: agent, seats: seats)
    recorder = TrajectoryRecorder(seats: seats.count)
  }

  func beginTrajectory() { recorder.begin(from: policy.state) }

  /// Chooses the seats' actions for the games' current `steps` and records their input.
  func act(
    steps: [[TimeStep]], observationSpec: ObservationSpec, isLast: Bool, generator: inout RandomGenerator
  )
    throws
  {
    let input = try policy.input(steps, observationSpec: observationSpec)
    let act: (action: IndexTensor, logits: Tensor, state: RPTHState)
    if let pending {
      act = pending
    } else if isLast {
      // A finished game's last step is never acted on: its action and logits are not trained on.
      let agent = policy.agent
      let noop = try agent.policyAction(CTFAction.none.components)
      act = (
        agent.policyActions(Array(repeating: noop, count: policy.seats.count)),
        Tensor(zeros: [policy.seats.count, agent.network.actionSizes.reduce(0, +)]), policy.state
      )
    } else {
      act = policy.choose(input, generator: &generator)
    }
    pending = nil
    chosen = act
    recorder.record(input, action: act.action, logits: act.logits)
  }

  /// Ends the trajectory at its step `T`; the action chosen there opens the next one unless the
  /// game ended.
  func endTrajectory(keepingAction: Bool) {
    if keepingAction { pending = chosen }
    recorder.recordEnd()
  }

  /// Writes the chosen actions into the games' action lists.
  func write(into gameActions: inout [[[Int]]]) throws {
    try policy.write(chosen!.action, into: &gameActions)
  }

  /// Takes in the step the games made: the next observations, events and discounts.
  func observe(_ steps: [[TimeStep]]) {
    let act = chosen!
    policy.take(act.action, state: act.state)
    let current = policy.seats.map { steps[$0.game][$0.player] }
    recorder.recordOutcome(events: current.flatMap(\.observation.events), discounts: current.map(\.discount))
  }

  /// The recorded steps as one batch.
  func trajectory() -> TrajectoryBatch { recorder.batch() }
}
