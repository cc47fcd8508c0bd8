/// The Reverb tables of a distributed run, per population member (a single agent is member 0): the
/// one place their names are written. `Scripts/reverb_server.py` creates the same tables (its
/// `--list-tables` prints their names, and a test checks that both agree).
///
/// ```swift
/// ReverbTables.trajectories(2)       // "trajectories_2"
/// ReverbTables.all(members: 1)       // ["trajectories_0", "pixel_control_0", ...]
/// ```
public enum ReverbTables {
  /// The member's V-trace queue: first in, first out, each trajectory sampled once.
  public static func trajectories(_ member: Int) -> String { "trajectories_\(member)" }

  /// The member's latest weights: one item, replaced by each publication.
  public static func weights(_ member: Int) -> String { "weights_\(member)" }

  /// The member's uniform replay of recent trajectories for pixel control.
  public static func pixelControl(_ member: Int) -> String { "pixel_control_\(member)" }

  /// The member's reward-prediction replays of short sequences ending in a zero and in a non-zero
  /// reward.
  public static func rewardZero(_ member: Int) -> String { "reward_zero_\(member)" }
  public static func rewardNonzero(_ member: Int) -> String { "reward_nonzero_\(member)" }

  /// The tables an actor and a learner need for a run of `members` members.
  public static func required(members: Int) -> [String] {
    (0..<members).flatMap { [trajectories($0), weights($0)] }
  }

  /// Every table the server makes for `members` members, in its order: with the queue and the
  /// weights, the pixel-control and reward-prediction replays it keeps for auxiliary tasks.
  public static func all(members: Int) -> [String] {
    (0..<members).flatMap {
      [trajectories($0), pixelControl($0), rewardZero($0), rewardNonzero($0), weights($0)]
    }
  }
}
