import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct OAREmbeddingTests {
  @Test func embeddingLayout() throws {
    var g = RandomGenerator(seed: 15)
    let rewards = try InternalRewards(numEvents: 2, initialValue: .exact(1), generator: &g)
    let embed = try OAREmbedding(
      torso: smallTorso(&g), numActions: [2, 3], internalRewards: rewards, rewardSize: 2)
    #expect(embed.outputSize == 8 + 5 + 1)
    #expect(embed.namedParameters(naming: .reference).contains { $0.path == "_internal_rewards_variables" })
    #expect(!embed.trainableParameters().contains { $0.path == "internal_rewards_variables" })
    let input = ObservationActionReward(
      observation: random([1, 12, 12, 3]), actions: [IndexTensor([1]), IndexTensor([2])],
      reward: Tensor(shape: [1, 2], scalars: [0.25, 0.5]))
    let e = embed(input).scalars
    #expect(Array(e[8..<13]) == [0, 1, 0, 0, 1])
    #expect(abs(e[13] - Foundation.tanh(0.75)) < 1e-6)
  }
}
