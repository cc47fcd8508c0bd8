import FTWEnvironments
import FTWLayers
import FTWNetworks
import FTWTensor

/// One team's seats across several games, played by bots or by an agent acting in one batch.
struct TeamController {
  private let seats: [(game: Int, player: Int)]
  private var bots: [any Bot] = []
  private var policy: SeatPolicy?
  private var generator: RandomGenerator

  init(player: Player, seats: [(game: Int, player: Int)], seed: UInt64) throws {
    self.seats = seats
    generator = RandomGenerator(seed: seed | 1)
    switch player {
    case .bot(let kind):
      bots = seats.enumerated().map { kind.make(player: $1.player, seed: seed &+ UInt64($0)) }
    case .agent(let agent):
      policy = try SeatPolicy(agent: agent, seats: seats)
    }
  }

  mutating func act(games: [CaptureTheFlag], steps: [[TimeStep]], into actions: inout [[[Int]]]) throws {
    guard var policy else {
      for (bot, seat) in zip(bots, seats) {
        actions[seat.game][seat.player] = bot.action(in: games[seat.game]).components
      }
      return
    }
    let input = try policy.input(steps, observationSpec: games[0].observationSpec)
    let (chosen, _, next) = policy.choose(input, generator: &generator)
    try policy.write(chosen, into: &actions)
    policy.take(chosen, state: next)
    self.policy = policy
  }
}

extension TeamController {
  /// The controllers of one side of `gameCount` games: one for each distinct player of `team`,
  /// acting for its seats in every game, where the side's first player in game `g` is
  /// `firstPlayer(g)`. The player of the team's `k`-th group is seeded `seed + k * φ`.
  static func side(
    _ team: EvaluationTeam, teamSize: Int, gameCount: Int, firstPlayer: (Int) -> Int, seed: UInt64
  ) throws -> [TeamController] {
    try team.groups(teamSize: teamSize).enumerated().map { group, members in
      let seats = (0..<gameCount).flatMap { game in
        members.seats.map { (game: game, player: firstPlayer(game) + $0) }
      }
      return try TeamController(
        player: members.player, seats: seats, seed: seed &+ UInt64(group) &* 0x9E37_79B9_7F4A_7C15)
    }
  }
}
