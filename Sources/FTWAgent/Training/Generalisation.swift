import FTWEnvironments

/// The paper's generalisation, measured: an agent's results against bots in settings it did not
/// train in (other team sizes, larger arenas, a bot teammate), one evaluation (``Evaluator``) a
/// cell: `results[setting][opponent]`.
///
/// ```swift
/// let table = try Generalisation.run(
///   agent, settings: Generalisation.standardSettings(for: agent.configuration.world),
///   opponents: [.random, .scripted], games: 100, seed: 1)
/// print(table.results[0][1].winRate)   // as trained, against the scripted bot
/// ```
public struct Generalisation: Sendable {
  /// How the games of a row are set up.
  public struct Setting: Sendable, Equatable {
    /// How the row is named.
    public var name: String
    /// Players per team; the agent fills every seat of its team not a teammate's.
    public var teamSize: Int
    /// The arenas, `nil` for the agent's own.
    public var arena: ArenaSize?
    /// A bot in every second seat of the agent's team, if any.
    public var teammate: BotKind?

    /// A setting; see each property.
    public init(name: String, teamSize: Int, arena: ArenaSize? = nil, teammate: BotKind? = nil) {
      (self.name, self.teamSize, self.arena, self.teammate) = (name, teamSize, arena, teammate)
    }
  }

  /// The rows.
  public var settings: [Setting]
  /// The columns: the bot of the other team.
  public var opponents: [BotKind]
  /// `results[row][column]`.
  public var results: [[EvaluationResult]]

  /// The rows the README's table shows for an agent trained in `world`: as trained; 1 v 1, 3 v 3
  /// and 4 v 4 (those other than its own size); medium arenas; a scripted teammate.
  public static func standardSettings(for world: TrainingConfiguration.World) -> [Setting] {
    let size = world.teamSize
    var settings = [Setting(name: "as trained, \(size) v \(size) on \(world.arena) arenas", teamSize: size)]
    for other in [1, 3, 4] where other != size {
      settings.append(Setting(name: "\(other) v \(other)", teamSize: other))
    }
    if world.arena != ArenaSize.medium.rawValue {
      settings.append(Setting(name: "medium arenas", teamSize: size, arena: .medium))
    }
    settings.append(Setting(name: "with a scripted teammate", teamSize: max(size, 2), teammate: .scripted))
    return settings
  }

  /// Plays `games` games of `agent` in every cell, on evaluation arenas from `seed`; `progress` is
  /// called after each cell with its row and column.
  public static func run(
    _ agent: Agent, settings: [Setting], opponents: [BotKind], games: Int, seed: UInt64,
    progress: (Int, Int) -> Void = { _, _ in }
  ) throws -> Generalisation {
    var results: [[EvaluationResult]] = []
    for (row, setting) in settings.enumerated() {
      var environment = try agent.configuration.world.environmentConfiguration()
      environment.teamSize = setting.teamSize
      if let arena = setting.arena { environment.arena = .generated(arena) }
      try environment.validate()
      let team = EvaluationTeam(seats: [.agent(agent)] + (setting.teammate.map { [.bot($0)] } ?? []))
      var cells: [EvaluationResult] = []
      for (column, bot) in opponents.enumerated() {
        let evaluator = Evaluator(
          environment: environment, seed: seed &+ UInt64(row * opponents.count + column))
        cells.append(try evaluator.run(team, against: EvaluationTeam(.bot(bot)), games: games))
        progress(row, column)
      }
      results.append(cells)
    }
    return Generalisation(settings: settings, opponents: opponents, results: results)
  }

  /// The table in Markdown: a row a setting, a column an opponent, each cell its wins, draws and
  /// losses and the win rate.
  public func markdown() -> String {
    var lines = [
      "| setting | "
        + opponents.map { "against \($0.rawValue): won-drawn-lost (win rate)" }.joined(separator: " | ")
        + " |",
      "| --- |" + String(repeating: " --- |", count: opponents.count),
    ]
    for (setting, cells) in zip(settings, results) {
      let texts = cells.map { "\($0.wins)-\($0.draws)-\($0.losses) (\(Int((100 * $0.winRate).rounded()))%)" }
      lines.append("| \(setting.name) | " + texts.joined(separator: " | ") + " |")
    }
    return lines.joined(separator: "\n")
  }
}
