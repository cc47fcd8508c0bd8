import FTWEnvironments

/// What an actor keeps of its games as they are played, for their ``GameRecord``s: the members in
/// each game's teams, each team's flag pick-ups so far, and the records of the games finished
/// since they were last taken.
///
/// ```swift
/// var tally = GameTally(teamSize: 2)
/// tally.start(lineups)                // [game][seat] players
/// tally.count(steps)                  // after every step of the games
/// tally.finish(scores: [[1, 0]])      // when the games end
/// let records = tally.take()
/// ```
struct GameTally {
  let teamSize: Int
  private var members: [[[Int]]] = []
  private var pickups: [[Int]] = []
  private var finished: [GameRecord] = []

  /// A tally of games of teams of `teamSize`.
  init(teamSize: Int) { self.teamSize = teamSize }

  /// New games with these players in their seats (`[game][seat]`, team 0's seats first).
  mutating func start(_ lineups: [[SeatPlayer]]) {
    pickups = Array(repeating: [0, 0], count: lineups.count)
    members = lineups.map { players in
      (0..<2).map { team in
        players[(team * teamSize)..<((team + 1) * teamSize)].compactMap {
          if case .member(let member) = $0 { member } else { nil }
        }
      }
    }
  }

  /// Counts the flag pick-ups of a step of every game (`[game][player]`).
  mutating func count(_ steps: [[TimeStep]]) {
    for (game, players) in steps.enumerated() {
      for (player, step) in players.enumerated() {
        pickups[game][player / teamSize] += Int(step.observation.events[GameEvent.iPickedUpFlag.rawValue])
      }
    }
  }

  /// Records every game as ended with these scores (`[game][team]`).
  mutating func finish(scores: [[Int]]) {
    for (game, teamScores) in scores.enumerated() {
      finished.append(GameRecord(members: members[game], scores: teamScores, pickups: pickups[game]))
    }
  }

  /// The games finished since the last call.
  mutating func take() -> [GameRecord] {
    defer { finished.removeAll() }
    return finished
  }
}
