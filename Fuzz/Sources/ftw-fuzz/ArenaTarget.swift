import FTWEnvironments
import Foundation

extension FuzzTarget {
  /// An arena layout file as `--arena PATH` reads it: a layout that loads writes itself back as
  /// the same arena, and games are played on it in both views for a few steps.
  static let arenaLayouts = FuzzTarget(
    name: "arena-layouts", summary: "arena layout files (--arena PATH)"
  ) { data in
    guard let text = String(data: data, encoding: .utf8), let arena = try? Arena(layout: text) else { return }
    guard let again = try? Arena(layout: arena.layout) else {
      fatalError("an arena that loaded wrote a layout that does not load")
    }
    require(again.walls == arena.walls && again.bases == arena.bases, "the written layout is another arena")
    for (view, teamSize) in [(ViewKind.topDown, 1), (.firstPerson, 2)] {
      var configuration = CaptureTheFlagConfiguration(arena: .fixed(arena), teamSize: teamSize)
      configuration.view = view
      configuration.viewSize = 16
      guard let game = try? CaptureTheFlag(configuration: configuration, seed: UInt64(data.count)) else {
        fatalError("a valid arena does not make a game")
      }
      var moves = data.makeIterator()
      for _ in 0..<8 {
        let actions = (0..<game.playerCount).map { _ in
          CaptureTheFlag.actionSpec.componentCounts.map { Int(moves.next() ?? 0) % $0 }
        }
        do {
          try game.step(actions)
        } catch {
          fatalError("a game on a valid arena refused valid actions: \(error)")
        }
      }
    }
  }
}
