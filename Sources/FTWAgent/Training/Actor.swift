import FTWEnvironments
import FTWLayers
import FTWNetworks
import FTWTensor

/// How one game ended, from the agent's side.
public struct GameResult: Sendable, Equatable {
  /// The agent team's captures.
  public var captures: Int
  /// The other team's captures.
  public var opponentCaptures: Int
  /// The times the agent's team picked up the other flag.
  public var pickups: Int

  /// Creates a result.
  public init(captures: Int, opponentCaptures: Int, pickups: Int = 0) {
    self.captures = captures
    self.opponentCaptures = opponentCaptures
    self.pickups = pickups
  }

  /// Whether the agent's team captured more.
  public var isWin: Bool { captures > opponentCaptures }
}

/// Plays games of capture the flag with the agent in every seat of one team and bots in the others,
/// acting for all its seats in one batch on the acting path (no gradient graph), and cuts the
/// experience into trajectories of `T + 1` steps: the learner's batches.
///
/// Games start together and last a multiple of `T` steps, so every trajectory lies inside one game;
/// consecutive trajectories share a step (the last of one is the first of the next), as IMPALA's do.
/// In game `g` the agent plays team `g % 2`, so it learns both sides.
///
/// ```swift
/// let actor = try Actor(configuration: configuration, index: 0)
/// actor.load(learnerAgent.snapshot(version: 0))
/// let trajectory = try actor.nextTrajectory()  // [T + 1, gamesPerActor * teamSize]
/// ```
public final class Actor {
  /// What it plays and how.
  public let configuration: TrainingConfiguration
  /// Its copy of the agent, loaded from the learner's snapshots.
  public let agent: Agent
  /// The version of the weights it acts with.
  public private(set) var weightsVersion = -1
  /// The results of games finished since the last call of ``takeResults()``.
  private var results: [GameResult] = []

  private let games: [CaptureTheFlag]
  /// The agent team's flag pick-ups in each game so far.
  private var pickups: [Int]
  /// Who plays the other team's seats in this round of games, grouped so an agent acts in one batch.
  private var opponents: [TeamController] = []
  /// The other team's agent, when it is a snapshot.
  private var snapshotAgent: Agent?
  /// Earlier weights kept as opponents.
  private var snapshots: [WeightSnapshot] = []
  /// Every player's last time step, by game.
  private var lastSteps: [[TimeStep]] = []
  private var generator: RandomGenerator
  private var botSeeds: SplitMix64
  /// `(game, player)` of each seat the agent plays, in batch order.
  private let seats: [(game: Int, player: Int)]
  private var current: [TimeStep] = []
  private var previousActions: [[Int]] = []
  private var state: RPTHState
  private var pending: (action: IndexTensor, logits: Tensor, state: RPTHState)?
  private var needsReset = true

  /// An actor whose games and sampling are seeded from the configuration's seed and `index`.
  public init(configuration: TrainingConfiguration, index: Int) throws {
    self.configuration = configuration
    var networkGenerator = RandomGenerator(seed: configuration.seed &+ 1000 &+ UInt64(index))
    agent = try Agent(configuration: configuration, generator: &networkGenerator)
    generator = RandomGenerator(seed: configuration.seed &* 7919 &+ UInt64(index))
    botSeeds = SplitMix64(seed: configuration.seed ^ (0xB07 &+ UInt64(index)))
    let environment = try configuration.environmentConfiguration()
    games = try (0..<configuration.gamesPerActor).map { game in
      try CaptureTheFlag(
        configuration: environment, seed: configuration.seed &* 1_000_003 &+ UInt64(index * 64 + game))
    }
    let teamSize = configuration.teamSize
    seats = (0..<configuration.gamesPerActor).flatMap { game in
      (0..<teamSize).map { (game: game, player: (game % 2) * teamSize + $0) }
    }
    pickups = Array(repeating: 0, count: configuration.gamesPerActor)
    state = agent.network.initialState(batchSize: seats.count)
  }

  /// The number of seats it plays, its batch size.
  public var batchSize: Int { seats.count }

  /// Acts with `snapshot`'s weights from the next step on, and keeps one every
  /// `snapshotInterval` learner steps as a possible opponent.
  public func load(_ snapshot: WeightSnapshot) {
    agent.load(snapshot)
    weightsVersion = snapshot.version
    if snapshots.last.map({ snapshot.version >= $0.version + configuration.snapshotInterval }) ?? true {
      snapshots = Array((snapshots + [snapshot]).suffix(configuration.snapshotPoolSize))
    }
  }

  /// The results of the games finished since the last call.
  public func takeResults() -> [GameResult] {
    defer { results.removeAll() }
    return results
  }

  /// Plays `T` steps of every game and returns them as one trajectory batch `[T + 1, seats]`.
  public func nextTrajectory() throws -> TrajectoryBatch {
    if needsReset { try startGames() }
    let length = configuration.unrollLength
    let spec = games[0].observationSpec
    let initialState = state
    var inputs: [ObservationActionReward] = []
    var actions: [IndexTensor] = []
    var logits: [Tensor] = []
    var events: [[Float]] = []
    var discounts: [[Float]] = []
    for t in 0...length {
      let input = try agent.input(current, previousActions: previousActions, observationSpec: spec)
      let isLast = current[0].stepType == .last
      let act: (action: IndexTensor, logits: Tensor, state: RPTHState)
      if let pending {
        act = pending
      } else if isLast {
        // A finished game's last step is never acted on: its action and logits are not trained on.
        let noop = try agent.policyAction(CTFAction.none.components)
        act = (
          agent.policyActions(Array(repeating: noop, count: batchSize)),
          Tensor(zeros: [batchSize, agent.network.actionSizes.reduce(0, +)]), state
        )
      } else {
        act = agent.network.selectAction(input, state, generator: &generator)
      }
      pending = nil
      inputs.append(input)
      actions.append(act.action)
      logits.append(act.logits)
      guard t < length else {
        if isLast { needsReset = true } else { pending = act }
        events.append(Array(repeating: 0, count: batchSize * GameEvent.allCases.count))
        discounts.append(Array(repeating: 1, count: batchSize))
        break
      }
      try advanceGames(with: act.action)
      previousActions = (0..<batchSize).map { agent.policyAction(act.action, row: $0) }
      state = act.state
      events.append(current.flatMap(\.observation.events))
      discounts.append(current.map(\.discount))
      if current[0].stepType == .last { recordResults() }
    }
    return TrajectoryBatch(
      inputs: ObservationActionReward(
        observation: stack(inputs.map(\.observation)),
        actions: (0..<inputs[0].actions.count).map { group in
          let parts = inputs.map { $0.actions[group] }
          return IndexTensor(shape: [parts.count, batchSize], scalars: parts.flatMap(\.scalars))
        },
        reward: stack(inputs.map(\.reward))),
      actions: IndexTensor(shape: [actions.count] + actions[0].shape, scalars: actions.flatMap(\.scalars)),
      rewards: Tensor(
        shape: [events.count, batchSize, GameEvent.allCases.count], scalars: events.flatMap { $0 }),
      discounts: Tensor(shape: [discounts.count, batchSize], scalars: discounts.flatMap { $0 }),
      behaviourLogits: stack(logits), initialState: initialState)
  }

  /// Resets every game, draws the opponents, and clears the seats' memories.
  private func startGames() throws {
    let teamSize = configuration.teamSize
    lastSteps = games.map { $0.reset() }
    var seatsByOpponent: [String: [(game: Int, player: Int)]] = [:]
    for index in games.indices {
      let choice: String
      switch configuration.opponent {
      case .random: choice = BotKind.random.rawValue
      case .scripted: choice = BotKind.scripted.rawValue
      case .bots: choice = botSeeds.next(below: 2) == 0 ? BotKind.random.rawValue : BotKind.scripted.rawValue
      case .snapshots: choice = "snapshot"
      case .mixed: choice = ["random", "scripted", "snapshot"][botSeeds.next(below: 3)]
      }
      let otherTeam = 1 - index % 2
      seatsByOpponent[choice, default: []] += (0..<teamSize).map {
        (game: index, player: otherTeam * teamSize + $0)
      }
    }
    opponents = try seatsByOpponent.keys.sorted().map { choice in
      let player: Player
      if let kind = BotKind(rawValue: choice) {
        player = .bot(kind)
      } else {
        if snapshotAgent == nil {
          var generator = RandomGenerator(seed: configuration.seed &+ 77)
          snapshotAgent = try Agent(configuration: configuration, generator: &generator)
        }
        snapshotAgent!.load(snapshots[botSeeds.next(below: snapshots.count)])
        player = .agent(snapshotAgent!)
      }
      return try TeamController(player: player, seats: seatsByOpponent[choice]!, seed: botSeeds.next())
    }
    current = seats.map { lastSteps[$0.game][$0.player] }
    let noop = try agent.policyAction(CTFAction.none.components)
    previousActions = Array(repeating: noop, count: batchSize)
    state = agent.network.initialState(batchSize: batchSize)
    pending = nil
    needsReset = false
  }

  /// Steps every game with the agent's actions in its seats and the bots' in the others.
  private func advanceGames(with actions: IndexTensor) throws {
    var gameActions = games.map { [[Int]](repeating: CTFAction.none.components, count: $0.playerCount) }
    for index in opponents.indices {
      try opponents[index].act(games: games, steps: lastSteps, into: &gameActions)
    }
    for (row, seat) in seats.enumerated() {
      gameActions[seat.game][seat.player] = try agent.environmentAction(actions, row: row)
    }
    lastSteps = try games.indices.map { try games[$0].step(gameActions[$0]) }
    current = seats.map { lastSteps[$0.game][$0.player] }
    for (seat, step) in zip(seats, current) {
      pickups[seat.game] += Int(step.observation.events[GameEvent.iPickedUpFlag.rawValue])
    }
  }

  private func recordResults() {
    for (index, game) in games.enumerated() {
      let team = index % 2
      results.append(
        GameResult(
          captures: game.teamScores[team], opponentCaptures: game.teamScores[1 - team],
          pickups: pickups[index]))
      pickups[index] = 0
    }
  }
}
