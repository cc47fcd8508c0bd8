import FTWAgent
import Testing

/// Every stream of a run is split from its seed by one function.
@Suite struct RunSeedsTests {
  private let streams: [RunSeeds.Stream] = [
    .member(0), .member(1), .evolution, .acting(actor: 0), .acting(actor: 1), .lineups(actor: 0),
    .lineups(actor: 1), .game(actor: 0, game: 0), .game(actor: 0, game: 1), .game(actor: 1, game: 0),
    .actorAgent(actor: 0, member: 0), .actorAgent(actor: 0, member: 1), .actorAgent(actor: 1, member: 0),
    .snapshotAgent,
  ]

  @Test func everyStreamHasASeedOfItsOwn() {
    let seeds = RunSeeds(7)
    let values = streams.map { seeds.seed(for: $0) }
    #expect(Set(values).count == streams.count)
    #expect(values == streams.map { RunSeeds(7).seed(for: $0) })
  }

  @Test func anotherRootGivesOtherSeeds() {
    for stream in streams { #expect(RunSeeds(7).seed(for: stream) != RunSeeds(8).seed(for: stream)) }
  }
}
