/// What happened to a player in a step of capture the flag: the game events the paper's internal
/// rewards weigh, in the order of `Observation.events`.
///
/// "Teammate" events count what the player's teammates did, "opponent" events what the other team
/// did; each is the number of times it happened in the step (0 or 1 in practice: there is one
/// flag per team, and a player tags at most once a step), except the tiles of a respawn below.
///
/// The last two are not game points but progress: a player moved into a tile one step nearer to
/// (or farther from) its objective along the arena's shortest paths. The objective is the other
/// team's flag, or its own base while it carries that flag or a teammate does. A tag that sends a
/// player back to its base counts the tiles it lost as that many steps away, in the step of the
/// tag, so that a run into the other team's guns earns nothing in all. Weighed `+w` and `-w` by
/// internal rewards they shape the reward by a potential (the distance), which leaves the best
/// policy unchanged (Ng, Harada and Russell 1999) while telling a beginner which way to go.
public enum GameEvent: Int, CaseIterable, Sendable {
  case iCaptured
  case iPickedUpFlag
  case iReturnedFlag
  case iTaggedOpponent
  case iTaggedFlagCarrier
  case iWasTagged
  case iWasTaggedWithFlag
  case teammateCaptured
  case teammatePickedUpFlag
  case teammateReturnedFlag
  case opponentCaptured
  case opponentPickedUpFlag
  case opponentReturnedFlag
  case iMovedTowardObjective
  case iMovedAwayFromObjective

  /// The event's name in the observation spec, in snake case.
  public var name: String {
    switch self {
    case .iCaptured: "i_captured"
    case .iPickedUpFlag: "i_picked_up_flag"
    case .iReturnedFlag: "i_returned_flag"
    case .iTaggedOpponent: "i_tagged_opponent"
    case .iTaggedFlagCarrier: "i_tagged_flag_carrier"
    case .iWasTagged: "i_was_tagged"
    case .iWasTaggedWithFlag: "i_was_tagged_with_flag"
    case .teammateCaptured: "teammate_captured"
    case .teammatePickedUpFlag: "teammate_picked_up_flag"
    case .teammateReturnedFlag: "teammate_returned_flag"
    case .opponentCaptured: "opponent_captured"
    case .opponentPickedUpFlag: "opponent_picked_up_flag"
    case .opponentReturnedFlag: "opponent_returned_flag"
    case .iMovedTowardObjective: "i_moved_toward_objective"
    case .iMovedAwayFromObjective: "i_moved_away_from_objective"
    }
  }

  /// The game points Quake III Arena's CTF scores for the event, which make the environment's
  /// reward: 5 for a capture, 1 for a recovery (return), 1 for a frag (tag) plus 2 more when the
  /// tagged player carried the flag; 0 for the rest.
  public var defaultPoints: Float {
    switch self {
    case .iCaptured: 5
    case .iReturnedFlag, .iTaggedOpponent: 1
    case .iTaggedFlagCarrier: 2
    default: 0
    }
  }

  /// The names of all events, in order.
  public static let names = allCases.map(\.name)

  /// The teammate's and the opponent's counterpart of an event of one's own.
  var teamCounterparts: (teammate: GameEvent, opponent: GameEvent)? {
    switch self {
    case .iCaptured: (.teammateCaptured, .opponentCaptured)
    case .iPickedUpFlag: (.teammatePickedUpFlag, .opponentPickedUpFlag)
    case .iReturnedFlag: (.teammateReturnedFlag, .opponentReturnedFlag)
    default: nil
    }
  }
}
