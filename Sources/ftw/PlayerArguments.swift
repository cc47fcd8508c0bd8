import FTWAgent
import FTWEnvironments
import Foundation

/// Players named on the command line: a bot by its name, an agent by the path of a run or
/// checkpoint folder, a team as seats separated by commas (`runs/a,scripted`: the agent in seats
/// 0, 2, ..., the scripted bot in seats 1, 3, ...). Each folder is loaded once, so that all its
/// seats act in one batch.
struct PlayerArguments {
  private var agents: [String: Agent] = [:]
  /// The agents loaded, in order.
  private(set) var loaded: [Agent] = []

  /// What an option naming players accepts.
  static let help =
    "a bot (\(BotKind.allCases.map(\.rawValue).joined(separator: ", "))), a run or checkpoint folder, or seats separated by commas"

  /// The bot or the agent that `spec`, the value of `option`, names.
  mutating func player(_ spec: String, option: String) throws -> Player {
    if let kind = BotKind(rawValue: spec) { return .bot(kind) }
    if let agent = agents[spec] { return .agent(agent) }
    do {
      let agent = try Agent.load(from: URL(fileURLWithPath: spec)).agent
      agents[spec] = agent
      loaded.append(agent)
      return .agent(agent)
    } catch {
      throw fail(
        "\(option) must name \(Self.help); '\(spec)' is no bot, and as a folder: \(error)")
    }
  }

  /// The team of the seats that `spec`, the value of `option`, names.
  mutating func team(_ spec: String, option: String) throws -> EvaluationTeam {
    let names = spec.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard (1...8).contains(names.count), !names.contains(where: \.isEmpty) else {
      throw fail("\(option) takes 1...8 seats separated by commas, got '\(spec)'")
    }
    return EvaluationTeam(seats: try names.map { try player($0, option: option) })
  }
}
