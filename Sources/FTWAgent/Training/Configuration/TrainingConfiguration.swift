import FTWEnvironments
import FTWTensor
import Foundation

/// Everything that defines a training run, in parts: the world, the agent's network, the
/// learning, the auxiliary tasks, the actors and the run. Saved as `configuration.json` in the
/// run folder (one object per part); a resumed run reads it back, and reads the flat layout that
/// builds before the parts wrote too.
///
/// The defaults suit a 2-core laptop and the paper's FTW-default network.
///
/// ```swift
/// var configuration = TrainingConfiguration()
/// configuration.world.opponent = .scripted
/// configuration.network = .init(preset: .small)
/// try configuration.validate()
/// ```
public struct TrainingConfiguration: Codable, Sendable, Equatable {
  /// The arena, teams, view, game length and opponent.
  public var world = World()
  /// The network's preset, policy and sizes.
  public var network = Network()
  /// The unroll, RMSProp, the loss's costs, the internal rewards and the precision.
  public var learning = Learning()
  /// Pixel control and reward prediction.
  public var auxiliary = Auxiliary()
  /// The actors and their snapshots.
  public var acting = Acting()
  /// The seed, checkpoints and lock step.
  public var run = Run()

  /// The internal rewards training starts from: a capture is the goal, picking up the other flag
  /// and returning one's own are steps towards it, and the other team's are their mirror image, as
  /// much lost as one's own are won (so that defending counts as much as attacking); a tag given or
  /// taken counts a fifth of a capture; an equal and opposite weight on moving toward and away
  /// from the objective shapes the reward by a potential so that a beginner finds the flag
  /// (without it, a network acting at random picks up no flag in thousands of steps and learns
  /// nothing). At a quarter a tile, a flag fetched and carried home across a tiny arena is worth
  /// a few captures, not twenty, so that the game's events outweigh the shaping.
  public static let defaultInternalRewards: [Float] = [
    1.0,  // i_captured
    0.5,  // i_picked_up_flag
    0.2,  // i_returned_flag
    0.2,  // i_tagged_opponent
    0.2,  // i_tagged_flag_carrier
    -0.2,  // i_was_tagged
    -0.2,  // i_was_tagged_with_flag
    0.5,  // teammate_captured
    0.2,  // teammate_picked_up_flag
    0.1,  // teammate_returned_flag
    -1,  // opponent_captured
    -0.5,  // opponent_picked_up_flag
    -0.2,  // opponent_returned_flag
    0.25,  // i_moved_toward_objective
    -0.25,  // i_moved_away_from_objective
  ]

  /// The defaults.
  public init() {}

  private enum CodingKeys: String, CodingKey {
    case world, network, learning, auxiliary, acting, run
  }

  /// Reads a configuration, in parts or in the flat layout of earlier builds; a field missing from
  /// the file keeps its default, and one that cannot be read is refused naming its key
  /// (``ConfigurationFieldError``).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let partKeys: [CodingKeys] = [.world, .learning, .auxiliary, .acting, .run]
    let networkIsAPart = (try? container.nestedContainer(keyedBy: CodingKeys.self, forKey: .network)) != nil
    guard networkIsAPart || partKeys.contains(where: container.contains) else {
      try self.init(flat: decoder)
      return
    }
    self.init()
    try container.read(.world, into: &world)
    try container.read(.network, into: &network)
    try container.read(.learning, into: &learning)
    try container.read(.auxiliary, into: &auxiliary)
    try container.read(.acting, into: &acting)
    try container.read(.run, into: &run)
  }

  /// Reads the flat layout, every part's keys side by side, where the preset's name was `network`.
  private init(flat decoder: any Decoder) throws {
    (world, network, learning) = (
      try World(from: decoder), try Network(from: decoder), try Learning(from: decoder)
    )
    (auxiliary, acting, run) = (
      try Auxiliary(from: decoder), try Acting(from: decoder), try Run(from: decoder)
    )
    try decoder.container(keyedBy: CodingKeys.self).read(.network, into: &network.preset)
  }

  /// The learner's batch: one actor trajectory, every seat of every game.
  public var batchSize: Int { acting.gamesPerActor * world.teamSize }

  /// Throws a ``TrainingError`` naming the first value out of range and what is allowed.
  public func validate() throws {
    try learning.validate()
    try world.validate(unrollLength: learning.unrollLength)
    try network.validate()
    try auxiliary.validate(viewSize: world.viewSize)
    try acting.validate()
    try run.validate()
    _ = try world.environmentConfiguration().validate()
  }

  /// The configuration as a checkpoint records it: every part's fields side by side, each as JSON
  /// text, under the keys of the flat layout (a checkpoint only loads into the configuration it
  /// was written for, and the checkpoints of earlier builds recorded it so).
  public var checkpointEntries: [String: String] {
    guard let data = try? JSONEncoder().encode(self),
      let parts = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Any]]
    else { return [:] }
    var entries: [String: String] = [:]
    for (part, fields) in parts {
      for (key, value) in fields {
        let text =
          (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]))
          .map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
        entries[part == "network" && key == "preset" ? "network" : key] = text
      }
    }
    return entries
  }
}

/// Throws a ``TrainingError`` with `message` unless `condition` holds.
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
  if !condition { throw TrainingError(message()) }
}

/// A training setting or run that cannot go on, with what was wrong and what is allowed.
public struct TrainingError: Error, CustomStringConvertible, Equatable {
  public let description: String

  /// Creates an error with its message.
  public init(_ description: String) { self.description = description }
}

extension TrainingConfiguration {
  /// Changes internal reward weights from `event=weight` pairs, comma-separated
  /// (`i_captured=2,i_was_tagged=-0.5`); throws naming a pair that is not one, with the events.
  public mutating func changeInternalRewards(_ pairs: String) throws {
    for pair in pairs.split(separator: ",") {
      let parts = pair.split(separator: "=")
      guard parts.count == 2, let index = GameEvent.names.firstIndex(of: String(parts[0])),
        let weight = Float(parts[1])
      else {
        throw TrainingError(
          "internal rewards take event=weight pairs with events among \(GameEvent.names.joined(separator: ", ")); got '\(pair)'"
        )
      }
      learning.internalRewards[index] = weight
    }
  }
}
