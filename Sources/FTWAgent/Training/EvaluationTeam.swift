import FTWEnvironments

/// Who fills a team's seats in an evaluation: one player in every seat, or one per seat, repeated
/// in turn when the team is larger (so an agent trained 2 v 2 and a bot can fill a team of any
/// size).
///
/// ```swift
/// let withBot = EvaluationTeam(seats: [.agent(agent), .bot(.scripted)])   // seats 0, 2, ...: the agent
/// let result = try evaluator.run(withBot, against: EvaluationTeam(.bot(.scripted)), games: 100)
/// ```
public struct EvaluationTeam {
  /// The players of the first seats.
  public var seats: [Player]

  /// `player` in every seat.
  public init(_ player: Player) { seats = [player] }

  /// `seats[i]` in seat `i`, seat `i` of a larger team played by `seats[i % seats.count]`.
  public init(seats: [Player]) {
    precondition(!seats.isEmpty, "a team has at least one player")
    self.seats = seats
  }

  /// The player of seat `seat`.
  public func player(atSeat seat: Int) -> Player { seats[seat % seats.count] }

  /// Throws a ``TrainingError`` unless every agent of the team sees games of `environment` as it
  /// was trained to: the same kind of view, the same size.
  public func checkCanPlay(_ environment: CaptureTheFlagConfiguration) throws {
    for case .agent(let agent) in seats {
      let world = agent.configuration.world
      try require(
        world.view == environment.view && world.viewSize == environment.viewSize,
        "an agent trained on \(world.view.rawValue) views of \(world.viewSize) pixels cannot play games with \(environment.view.rawValue) views of \(environment.viewSize) pixels"
      )
    }
  }

  /// The team's distinct players in order of their first seat, each with its seats of a team of
  /// `teamSize`.
  func groups(teamSize: Int) -> [(player: Player, seats: [Int])] {
    var groups: [(player: Player, seats: [Int])] = []
    for seat in 0..<teamSize {
      let player = player(atSeat: seat)
      if let index = groups.firstIndex(where: { $0.player.isSame(as: player) }) {
        groups[index].seats.append(seat)
      } else {
        groups.append((player, [seat]))
      }
    }
    return groups
  }
}

extension Player {
  /// Whether both are the same bot kind or the same agent object.
  func isSame(as other: Player) -> Bool {
    switch (self, other) {
    case (.bot(let a), .bot(let b)): a == b
    case (.agent(let a), .agent(let b)): a === b
    default: false
    }
  }
}
