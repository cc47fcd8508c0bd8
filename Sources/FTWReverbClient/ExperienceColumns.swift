import FTWAgent
import FTWLayers
import FTWNetworks
import FTWReverb
import FTWTensor
import Foundation

/// An actor's ``Experience`` as the columns of one Reverb item, and back: what a distributed actor
/// inserts into a member's trajectory queue and a learner samples. Needs no gRPC (it is plain
/// data), so it builds without the `Distributed` trait.
///
/// The columns, `T + 1` steps of `B` seats with time first:
///
/// | column | type | shape |
/// | --- | --- | --- |
/// | member, weights version, action groups `K`, state leaves `L` | int32 | `[1, 4]` |
/// | the games that ended, as JSON | uint8 | `[1, n]` |
/// | observation (the pixels; the network sees byte / 255) | uint8 | `[T+1, B, H, W, C]` |
/// | previous action of each of the `K` action groups | int32 | `[T+1, B]` each |
/// | previous reward | float32 | `[T+1, B, ...]` |
/// | actions | int32 | `[T+1, B, ...]` |
/// | rewards (game events) | float32 | `[T+1, B, ...]` |
/// | discounts | float32 | `[T+1, B]` |
/// | behaviour logits | float32 | `[T+1, B, A]` |
/// | each of the `L` leaves of the initial recurrent state | float32 | `[1, B, ...]` |
///
/// ```swift
/// let columns = try ExperienceColumns.encode(experience)
/// try await writer.insert(columns, table: ReverbTables.trajectories(experience.member))
/// // on the learner, with a state of the network's structure to fill:
/// let back = try ExperienceColumns.decode(sample.columns, stateLike: network.initialState(batchSize: 1))
/// ```
public enum ExperienceColumns {
  /// Why columns could not be made into an experience, or an experience into columns.
  public struct FormatError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
  }

  /// Where each column lies in an item of `groups` action groups and `leaves` state leaves (the
  /// table above, in order).
  struct Layout {
    static let header = 0
    static let games = 1
    static let observation = 2
    let groups: Int
    let leaves: Int

    var previousActions: Range<Int> { 3..<(3 + groups) }
    var previousReward: Int { previousActions.upperBound }
    var actions: Int { previousReward + 1 }
    var rewards: Int { previousReward + 2 }
    var discounts: Int { previousReward + 3 }
    var behaviourLogits: Int { previousReward + 4 }
    var stateLeaves: Range<Int> { (behaviourLogits + 1)..<count }
    /// The columns of steps after the observation, each `[T + 1, B, ...]`.
    var steps: Range<Int> { previousActions.lowerBound..<stateLeaves.lowerBound }
    var count: Int { 8 + groups + leaves }
  }

  private struct Games: Codable {
    var members: [[[Int]]]
    var scores: [[Int]]
    var pickups: [[Int]]
  }

  /// The columns of `experience`.
  public static func encode(_ experience: Experience) throws -> [ReverbTensor] {
    let trajectory = experience.trajectory
    let inputs = trajectory.inputs
    let leaves = trajectory.initialState.namedTensors().map(\.tensor)
    let games = Games(
      members: experience.games.map(\.members), scores: experience.games.map(\.scores),
      pickups: experience.games.map(\.pickups))
    let gamesJSON = [UInt8](try JSONEncoder().encode(games))
    let header = [experience.member, experience.weightsVersion, inputs.actions.count, leaves.count]
    var columns = [
      try ReverbTensor(header.map { Int32($0) }, shape: [1, 4]),
      try ReverbTensor(gamesJSON, shape: [1, gamesJSON.count]),
      try ReverbTensor(inputs.observation.bytes, shape: inputs.observation.shape),
    ]
    columns += try inputs.actions.map { try ReverbTensor($0.scalars, shape: $0.shape) }
    columns += [
      try floats(inputs.reward),
      try ReverbTensor(trajectory.actions.scalars, shape: trajectory.actions.shape),
      try floats(trajectory.rewards),
      try floats(trajectory.discounts),
      try floats(trajectory.behaviourLogits),
    ]
    columns += try leaves.map { try ReverbTensor($0.scalars, shape: [1] + $0.shape) }
    assert(columns.count == Layout(groups: inputs.actions.count, leaves: leaves.count).count)
    return columns
  }

  /// The experience of an item sampled from `member`'s queue, if it is one the run can learn
  /// from: ``decode(_:stateLike:)``, then the member and ``TrajectorySpec/check(_:members:)`` of
  /// a population of `members`. Throws a ``FormatError`` or a ``TrainingError`` saying what
  /// does not fit.
  public static func decode(
    _ columns: [ReverbTensor], stateLike: RPTHState, member: Int, members: Int, spec: TrajectorySpec
  ) throws -> Experience {
    let experience = try decode(columns, stateLike: stateLike)
    guard experience.member == member else {
      throw FormatError("it is an item of member \(experience.member)")
    }
    try spec.check(experience, members: members)
    return experience
  }

  /// The experience of `columns`; `stateLike` is a recurrent state of the network's structure
  /// (any values, any batch size), whose leaves are replaced by the item's (of the item's batch
  /// size: a population member's varies from one trajectory to the next). Throws on columns of the
  /// wrong number, types or shapes.
  public static func decode(_ columns: [ReverbTensor], stateLike: RPTHState) throws -> Experience {
    guard columns.count >= 3, columns[Layout.header].dataType == .int32,
      columns[Layout.header].shape == [1, 4]
    else {
      throw FormatError("\(columns.count) columns without an experience's header")
    }
    let header = try columns[Layout.header].int32s().map(Int.init)
    let (member, version, layout) = (header[0], header[1], Layout(groups: header[2], leaves: header[3]))
    let template = stateLike.namedTensors().map(\.tensor)
    guard member >= 0, layout.groups >= 1, layout.leaves == template.count, columns.count == layout.count
    else {
      throw FormatError(
        "the header says \(layout.groups) action groups and \(layout.leaves) state leaves (the network's "
          + "state has \(template.count)); the item has \(columns.count) columns")
    }
    let records = try games(columns[Layout.games])
    guard columns[Layout.observation].dataType == .uint8 else {
      throw FormatError("the observation column must be uint8")
    }
    let pixels = columns[Layout.observation]
    // Every column of steps is [T + 1, B, ...] with the observation's T + 1 and B.
    let steps = pixels.shape
    guard steps.count == 5, steps[0] >= 2, steps[1] >= 1 else {
      throw FormatError("the observation has shape \(steps), not [T + 1, B, height, width, channels]")
    }
    for column in columns[layout.steps] where column.shape.count < 2 || column.shape[..<2] != steps[..<2] {
      throw FormatError(
        "a column has shape \(column.shape), not [\(steps[0]), \(steps[1]), ...] as the observation")
    }
    let leaves = try zip(columns[layout.stateLeaves], template).enumerated().map { index, pair in
      try stateLeaf(index, pair.0, like: pair.1, batch: steps[1])
    }
    let trajectory = TrajectoryBatch(
      inputs: AgentInput(
        observation: PixelBytes(shape: steps, bytes: pixels.bytes),
        actions: try columns[layout.previousActions].map(indices),
        reward: try tensor(columns[layout.previousReward])),
      actions: try indices(columns[layout.actions]), rewards: try tensor(columns[layout.rewards]),
      discounts: try tensor(columns[layout.discounts]),
      behaviourLogits: try tensor(columns[layout.behaviourLogits]),
      initialState: try filling(stateLike, withLeavesInNamedOrder: leaves))
    return Experience(member: member, trajectory: trajectory, games: records, weightsVersion: version)
  }

  /// The games of the games column.
  private static func games(_ column: ReverbTensor) throws -> [GameRecord] {
    guard column.dataType == .uint8 else { throw FormatError("the games column must be uint8") }
    let games = try JSONDecoder().decode(Games.self, from: Data(column.bytes))
    guard games.members.count == games.scores.count, games.scores.count == games.pickups.count,
      games.members.allSatisfy({ $0.count == 2 }), games.scores.allSatisfy({ $0.count == 2 }),
      games.pickups.allSatisfy({ $0.count == 2 })
    else { throw FormatError("the games column is inconsistent") }
    return games.members.indices.map {
      GameRecord(members: games.members[$0], scores: games.scores[$0], pickups: games.pickups[$0])
    }
  }

  /// State leaf `index`, `[B, ...]` with the trailing dimensions of the network's `leaf`, from its
  /// column `[1, B, ...]`.
  private static func stateLeaf(_ index: Int, _ column: ReverbTensor, like leaf: Tensor, batch: Int) throws
    -> Tensor
  {
    let expected = leaf.shape
    guard column.shape.count == expected.count + 1, column.shape.count >= 2, column.shape[0] == 1,
      column.shape[1] == batch, column.shape.dropFirst(2) == expected.dropFirst()
    else {
      throw FormatError(
        "state leaf \(index) has shape \(column.shape), not [1, \(batch)] + the network's \(Array(expected.dropFirst()))"
      )
    }
    return Tensor(shape: Array(column.shape.dropFirst()), scalars: try column.floats())
  }

  /// `template` with its leaves replaced by `leaves`, given in the order of `namedTensors()`
  /// (which need not be the order in which `mapped` visits them: a probe finds that order).
  private static func filling(_ template: RPTHState, withLeavesInNamedOrder leaves: [Tensor]) throws
    -> RPTHState
  {
    var visit = 0
    let probe = template.mapped { leaf in
      defer { visit += 1 }
      return Tensor(repeating: Float(visit), shape: leaf.shape)
    }
    // The leaf `mapped` visits k-th is leaf namedIndex[k] of `namedTensors()`.
    var namedIndex = [Int](repeating: -1, count: leaves.count)
    for (position, named) in probe.namedTensors().enumerated() {
      guard let first = named.tensor.scalars.first, let visited = Int(exactly: first),
        namedIndex.indices.contains(visited), namedIndex[visited] == -1
      else { throw FormatError("the network's state has an empty or repeated leaf (\(named.name))") }
      namedIndex[visited] = position
    }
    visit = 0
    return template.mapped { _ in
      defer { visit += 1 }
      return leaves[namedIndex[visit]]
    }
  }

  private static func floats(_ tensor: Tensor) throws -> ReverbTensor {
    try ReverbTensor(tensor.scalars, shape: tensor.shape)
  }

  private static func tensor(_ column: ReverbTensor) throws -> Tensor {
    Tensor(shape: column.shape, scalars: try column.floats())
  }

  private static func indices(_ column: ReverbTensor) throws -> IndexTensor {
    IndexTensor(shape: column.shape, scalars: try column.int32s())
  }
}
