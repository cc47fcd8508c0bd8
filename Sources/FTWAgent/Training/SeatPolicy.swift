import FTWEnvironments
import FTWLayers
import FTWNetworks
import FTWTensor

/// An agent acting for a set of seats in one batch on the acting path (no gradient graph): the
/// seats' recurrent state and previous actions. Training's members, snapshot opponents and
/// evaluation all act through one.
///
/// ```swift
/// var policy = try SeatPolicy(agent: agent, seats: [(game: 0, player: 0), (game: 1, player: 2)])
/// let input = try policy.input(steps, observationSpec: spec)
/// let (action, _, next) = policy.choose(input, generator: &generator)
/// try policy.write(action, into: &gameActions)
/// policy.take(action, state: next)
/// ```
struct SeatPolicy {
  let agent: Agent
  /// The seats, `(game, player)`; row `r` of a batch is seat `r`.
  let seats: [(game: Int, player: Int)]
  /// The recurrent state before the next step, `[seats, ...]`.
  private(set) var state: RPTHState
  /// Each seat's previous action, in the policy's form.
  private var previousActions: [[Int]]

  /// The seats at the start of a game: a fresh state, no-op previous actions.
  init(agent: Agent, seats: [(game: Int, player: Int)]) throws {
    self.agent = agent
    self.seats = seats
    state = agent.network.initialState(batchSize: seats.count)
    previousActions = Array(repeating: try agent.policyAction(CTFAction.none.components), count: seats.count)
  }

  /// What the seats see in `steps` (`[game][player]`) with their previous actions.
  func input(_ steps: [[TimeStep]], observationSpec: ObservationSpec) throws -> AgentInput {
    try agent.input(
      seats.map { steps[$0.game][$0.player] }, previousActions: previousActions,
      observationSpec: observationSpec)
  }

  /// The seats' actions sampled from the policy on `input`, their logits and the next state.
  func choose(_ input: AgentInput, generator: inout RandomGenerator) -> (
    action: IndexTensor, logits: Tensor, state: RPTHState
  ) {
    agent.network.selectAction(input.networkInput, state, generator: &generator)
  }

  /// Writes `action`'s rows into the games' action lists as environment actions.
  func write(_ action: IndexTensor, into gameActions: inout [[[Int]]]) throws {
    for (row, seat) in seats.enumerated() {
      gameActions[seat.game][seat.player] = try agent.environmentAction(action, row: row)
    }
  }

  /// Takes `action` as the seats' previous actions and `next` as their state.
  mutating func take(_ action: IndexTensor, state next: RPTHState) {
    previousActions = (0..<seats.count).map { agent.policyAction(action, row: $0) }
    state = next
  }
}
