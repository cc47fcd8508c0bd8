import FTWEnvironments
import FTWLayers
import FTWNetworks
import FTWTensor

/// One team's seats across several games, played by bots or by an agent acting in one batch.
struct TeamController {
  let player: Player
  let seats: [(game: Int, player: Int)]
  var bots: [any Bot] = []
  var state: RPTHState?
  var previousActions: [[Int]] = []
  var generator: RandomGenerator

  init(player: Player, seats: [(game: Int, player: Int)], seed: UInt64) throws {
    self.player = player
    self.seats = seats
    generator = RandomGenerator(seed: seed | 1)
    switch player {
    case .bot(let kind):
      bots = seats.enumerated().map { kind.make(player: $1.player, seed: seed &+ UInt64($0)) }
    case .agent(let agent):
      state = agent.network.initialState(batchSize: seats.count)
      previousActions = Array(
        repeating: try agent.policyAction(CTFAction.none.components), count: seats.count)
    }
  }

  mutating func act(games: [CaptureTheFlag], steps: [[TimeStep]], into actions: inout [[[Int]]]) throws {
    switch player {
    case .bot:
      for (bot, seat) in zip(bots, seats) {
        actions[seat.game][seat.player] = bot.action(in: games[seat.game]).components
      }
    case .agent(let agent):
      let input = try agent.input(
        seats.map { steps[$0.game][$0.player] }, previousActions: previousActions,
        observationSpec: games[0].observationSpec)
      let (chosen, _, next) = agent.network.selectAction(input.networkInput, state!, generator: &generator)
      state = next
      for (row, seat) in seats.enumerated() {
        actions[seat.game][seat.player] = try agent.environmentAction(chosen, row: row)
        previousActions[row] = agent.policyAction(chosen, row: row)
      }
    }
  }
}
