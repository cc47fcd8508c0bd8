import ArgumentParser
import FTWAgent
import FTWEnvironments
import Foundation

extension Eval {
  /// `ftw eval --generalisation`: the agent against the random and the scripted bot as trained,
  /// at the other team sizes, on medium arenas and with a scripted teammate, `--games` games a
  /// cell; prints the table in Markdown (or as JSON).
  func tabulateGeneralisation(of agent: Agent, label: String) throws {
    let settings = Generalisation.standardSettings(for: agent.configuration.world)
    let opponents: [BotKind] = [.random, .scripted]
    let table: Generalisation
    do {
      table = try Generalisation.run(
        agent, settings: settings, opponents: opponents, games: games, seed: seed
      ) { row, column in
        guard !json else { return }
        FileHandle.standardError.write(
          Data(
            "\rplayed \(row * opponents.count + column + 1) of \(settings.count * opponents.count) cells".utf8
          ))
      }
    } catch {
      throw fail("\(error)")
    }
    guard !json else {
      let cells = zip(table.settings, table.results).flatMap { setting, row in
        zip(opponents, row).map { bot, result -> [String: Any] in
          [
            "setting": setting.name, "team_size": setting.teamSize, "opponent": bot.rawValue,
            "games": result.games, "wins": result.wins, "draws": result.draws, "losses": result.losses,
          ]
        }
      }
      let data = try JSONSerialization.data(withJSONObject: ["cells": cells], options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
      return
    }
    FileHandle.standardError.write(Data("\n".utf8))
    print("\(label), \(games) games a cell on evaluation arenas:\n")
    print(table.markdown())
  }
}
