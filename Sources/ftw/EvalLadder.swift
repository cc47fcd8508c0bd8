import ArgumentParser
import FTWAgent
import FTWEnvironments
import Foundation

extension Eval {
  /// `ftw eval --ladder`: rates the agent on the bots' Elo scale and prints (or writes as JSON)
  /// its rating, interval and results against each rung; `--svg` draws them.
  func rateOnLadder(
    _ team: EvaluationTeam, label: String, environment: CaptureTheFlagConfiguration, arena: String
  )
    throws
  {
    let evaluation: LadderEvaluation
    do {
      let botLadder =
        try ladderFile.map { try BotLadder.load(from: URL(fileURLWithPath: $0)) } ?? BotLadder.bundled()
      if !json, botLadder.teamSize != environment.teamSize || botLadder.arena != arena {
        FileHandle.standardError.write(
          Data(
            "note: the ladder was rated \(botLadder.teamSize) v \(botLadder.teamSize) on \(botLadder.arena) arenas\n"
              .utf8))
      }
      evaluation = try LadderEvaluation.run(
        team, ladder: botLadder, environment: environment, games: games, seed: seed
      ) { rung in
        guard !json else { return }
        FileHandle.standardError.write(
          Data("\r\(rung.result.games) games against \(rung.bot.rawValue)      ".utf8))
      }
      if let svg { try writeFile(Array(evaluation.svg().utf8), to: svg) }
    } catch let error as ExitCode {
      throw error
    } catch {
      throw fail("\(error)")
    }
    if json { return try printJSON(evaluation) }
    FileHandle.standardError.write(Data("\n".utf8))
    let teams = "\(environment.teamSize) v \(environment.teamSize)"
    print("\(label) on the bot ladder, \(teams) on \(arena) arenas:")
    print(
      String(
        format: "ladder Elo %.0f (95%% interval %.0f to %.0f)", evaluation.rating,
        evaluation.interval.lowerBound,
        evaluation.interval.upperBound))
    print("bot         Elo   games   won  drawn  lost   win rate")
    for rung in evaluation.rungs {
      let result = rung.result
      print(
        rung.bot.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
          + String(
            format: "%6.0f  %6d  %4d  %5d  %4d  %8.0f%%", rung.elo, result.games, result.wins, result.draws,
            result.losses, 100 * result.winRate))
    }
    if let svg { print("drew the rating in \(svg)") }
  }

  private func printJSON(_ evaluation: LadderEvaluation) throws {
    let line: [String: Any] = [
      "elo": evaluation.rating, "elo_low": evaluation.interval.lowerBound,
      "elo_high": evaluation.interval.upperBound,
      "rungs": evaluation.rungs.map { rung -> [String: Any] in
        [
          "bot": rung.bot.rawValue, "elo": rung.elo, "games": rung.result.games, "wins": rung.result.wins,
          "draws": rung.result.draws, "losses": rung.result.losses,
        ]
      },
    ]
    print(
      String(
        decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self))
  }
}
