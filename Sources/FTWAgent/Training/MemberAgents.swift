import FTWTensor

/// An actor's copy of each learning member's agent and the version of the weights loaded into it.
/// Member 0's agent exists from the start; another member's is made when it first plays, and
/// weights sent for it before then wait until that moment.
///
/// ```swift
/// let agents = try MemberAgents(configuration: configuration, actor: 0)
/// agents.load(snapshot, member: 2)          // kept: member 2 has not played yet
/// let agent = try agents.agent(for: 2)      // made, with the snapshot's weights
/// agents.version(of: 2)                     // snapshot.version
/// ```
final class MemberAgents {
  private let configuration: TrainingConfiguration
  private let actor: Int
  private var agents: [Int: Agent] = [:]
  private var versions: [Int: Int] = [:]
  private var pending: [Int: WeightSnapshot] = [:]

  /// Member 0's agent, seeded from the configuration's seed and the actor's index.
  init(configuration: TrainingConfiguration, actor: Int) throws {
    self.configuration = configuration
    self.actor = actor
    agents[0] = try makeAgent(member: 0)
  }

  /// The version of `member`'s newest weights loaded or waiting (`-1`: none yet).
  func version(of member: Int) -> Int { versions[member] ?? pending[member]?.version ?? -1 }

  /// The version of the weights `member`'s agent acts with (`-1`: none loaded).
  func loadedVersion(of member: Int) -> Int { versions[member] ?? -1 }

  /// Throws unless `snapshot` fits the agents (see ``Agent/check(_:)``).
  func check(_ snapshot: WeightSnapshot) throws { try agents[0]!.check(snapshot) }

  /// Loads `snapshot` into `member`'s agent, or keeps it until the member first plays.
  func load(_ snapshot: WeightSnapshot, member: Int) {
    guard let agent = agents[member] else {
      pending[member] = snapshot
      return
    }
    agent.load(snapshot)
    versions[member] = snapshot.version
  }

  /// `member`'s agent, made (with the weights waiting for it) when it first plays.
  func agent(for member: Int) throws -> Agent {
    if let agent = agents[member] { return agent }
    let agent = try makeAgent(member: member)
    agents[member] = agent
    if let weights = pending.removeValue(forKey: member) { load(weights, member: member) }
    return agent
  }

  private func makeAgent(member: Int) throws -> Agent {
    var generator = RandomGenerator(
      seed: configuration.seeds.seed(for: .actorAgent(actor: actor, member: member)))
    return try Agent(configuration: configuration, generator: &generator)
  }
}
