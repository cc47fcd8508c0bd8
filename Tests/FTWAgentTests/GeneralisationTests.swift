import FTWAgentTestSupport
import FTWEnvironments
import FTWTensor
import Testing

@testable import FTWAgent

@Suite struct GeneralisationTests {
  @Test func theStandardRowsLeaveOutTheAgentsOwnSetting() {
    var world = TrainingConfiguration.World()
    #expect(
      Generalisation.standardSettings(for: world).map(\.name) == [
        "as trained, 2 v 2 on tiny arenas", "1 v 1", "3 v 3", "4 v 4", "medium arenas",
        "with a scripted teammate",
      ])
    (world.teamSize, world.arena) = (3, "medium")
    let settings = Generalisation.standardSettings(for: world)
    #expect(settings.map(\.teamSize) == [3, 1, 4, 3])
    #expect(settings.last == .init(name: "with a scripted teammate", teamSize: 3, teammate: .scripted))
  }

  @Test func everyCellPlaysItsGamesInItsSetting() throws {
    var configuration = tinyConfiguration()
    configuration.world.arena = "tiny"
    var generator = RandomGenerator(seed: 8)
    let agent = try Agent(configuration: configuration, generator: &generator)
    let settings: [Generalisation.Setting] = [
      .init(name: "2 v 2", teamSize: 2), .init(name: "scripted beside", teamSize: 2, teammate: .scripted),
    ]
    var cells: [[Int]] = []
    let table = try Generalisation.run(
      agent, settings: settings, opponents: [.random, .scripted], games: 2, seed: 3
    ) { cells.append([$0, $1]) }
    #expect(cells == [[0, 0], [0, 1], [1, 0], [1, 1]])
    #expect(table.results.map { $0.map(\.games) } == [[2, 2], [2, 2]])
    let lines = table.markdown().split(separator: "\n")
    #expect(lines.count == 4 && lines[3].hasPrefix("| scripted beside | "))
  }
}
