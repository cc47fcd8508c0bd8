import FTWEnvironments

/// Who plays a seat of a game that a ``GameActor`` runs.
public enum SeatPlayer: Hashable, Sendable {
  /// A learning member of the run (a single agent is member 0): its steps are recorded for it.
  case member(Int)
  /// A built-in bot.
  case bot(BotKind)
  /// An earlier version of member 0, from the actor's pool of snapshots.
  case snapshot
}
