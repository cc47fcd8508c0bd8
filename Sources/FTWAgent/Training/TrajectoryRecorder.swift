import FTWEnvironments
import FTWNetworks
import FTWTensor

/// The steps of one trajectory of a group of seats as they are played, and the batch they make:
/// `T + 1` inputs, actions and behaviour logits, and for each step the events and discount that
/// led to it (the first step's are the previous trajectory's last, so a trajectory's last step is
/// the next one's first, as IMPALA cuts them).
///
/// ```swift
/// var recorder = TrajectoryRecorder(seats: 4)
/// recorder.begin(from: state)
/// recorder.record(input, action: action, logits: logits)   // at each of the T + 1 steps
/// recorder.recordOutcome(events: events, discounts: discounts)  // after each of the first T
/// recorder.recordEnd()
/// let batch = recorder.batch()                                 // [T + 1, 4]
/// ```
struct TrajectoryRecorder {
  /// Seats recorded: the batch's `B`.
  let seats: Int
  private var initialState: RPTHState?
  private var inputs: [AgentInput] = []
  private var actions: [IndexTensor] = []
  private var logits: [Tensor] = []
  private var events: [[Float]] = []
  private var discounts: [[Float]] = []

  /// A recorder of `seats` seats.
  init(seats: Int) { self.seats = seats }

  /// Starts a trajectory whose recurrent state at its first step is `state`.
  mutating func begin(from state: RPTHState) {
    initialState = state
    (inputs, actions, logits, events, discounts) = ([], [], [], [], [])
  }

  /// Records a step's input and the action taken there with its logits.
  mutating func record(_ input: AgentInput, action: IndexTensor, logits stepLogits: Tensor) {
    inputs.append(input)
    actions.append(action)
    logits.append(stepLogits)
  }

  /// Records what the step taken led to: each seat's game events (`seats x events`) and discount.
  mutating func recordOutcome(events stepEvents: [Float], discounts stepDiscounts: [Float]) {
    events.append(stepEvents)
    discounts.append(stepDiscounts)
  }

  /// Ends the trajectory at its step `T`, whose outcome belongs to the next trajectory: no events,
  /// discount 1.
  mutating func recordEnd() {
    recordOutcome(
      events: Array(repeating: 0, count: seats * GameEvent.allCases.count),
      discounts: Array(repeating: 1, count: seats))
  }

  /// The recorded steps as one batch `[T + 1, seats]`.
  func batch() -> TrajectoryBatch {
    guard let initialState else { preconditionFailure("a trajectory's batch before it began") }
    return TrajectoryBatch(
      inputs: .stacked(inputs),
      actions: IndexTensor(shape: [actions.count] + actions[0].shape, scalars: actions.flatMap(\.scalars)),
      rewards: Tensor(
        shape: [events.count, seats, GameEvent.allCases.count], scalars: events.flatMap { $0 }),
      discounts: Tensor(shape: [discounts.count, seats], scalars: discounts.flatMap { $0 }),
      behaviourLogits: stack(logits), initialState: initialState)
  }
}
