import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

/// The README's example, compiled and run here; the test below checks the README shows exactly
/// this code.
@Suite struct ReadmeExampleTests {
  @Test func exampleRuns() throws {
    // README example begin
    var generator = RandomGenerator(seed: 0)

    // The FTW network: torso + one-hot action + reward, RPTH with a slow core every 10 steps, policy/value head.
    let torso = try FtwTorso(observationShape: [84, 84, 3], generator: &generator)
    let embed = try OAREmbedding(torso: torso, numActions: [9])
    let rpth = try RPTH(
      inputSize: embed.outputSize, period: [10],
      options: VariationalUnitOptions(hiddenSize: 256, numDimensions: 256), generator: &generator)
    let network = try FtwNetwork(embed: embed, core: rpth, numActions: 9, generator: &generator)

    // One acting step for a batch of 2: no gradient graph is recorded.
    let step = ObservationActionReward(
      observation: Tensor(randomUniform: [2, 84, 84, 3], generator: &generator),
      action: IndexTensor([0, 3]), reward: Tensor([0, 1]))
    let (action, logits, state) = network.selectAction(
      step, network.initialState(batchSize: 2), generator: &generator)

    // One unroll over a trajectory [T = 4, B = 2] and the gradient of a loss for every parameter.
    let trajectory = ObservationActionReward(
      observation: Tensor(randomUniform: [4, 2, 84, 84, 3], generator: &generator),
      action: IndexTensor(shape: [4, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8]), reward: Tensor(zeros: [4, 2]))
    let (loss, gradient) = valueWithGradient(of: network) {
      let (output, _) = network.unroll(trajectory, network.initialState(batchSize: 2))
      return output.logits.logSoftmax().mean() + output.value.squared().mean()
    }
    print(action, logits.shape, state.step, loss, gradient["head/policy_layer/layers/0/w"]!.shape)
    // README example end
    #expect(action.shape == [2] && logits.shape == [2, 9])
    #expect(gradient.count == network.trainableParameters().count)
    #expect(loss.scalar.isFinite)
  }

  @Test func readmeShowsThisExample() throws {
    #expect(try readmeShowsExample(of: #filePath), "README.md must show the example of this file")
  }
}
