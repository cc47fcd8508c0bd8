import FTWLayers
import FTWNetworks
import FTWTensor
import FTWTestSupport
import Testing

/// A small torso for 12x12 RGB frames.
func smallTorso(_ g: inout RandomGenerator) throws -> FtwTorso {
  try FtwTorso(
    observationShape: [12, 12, 3], convFilters: [ConvFilter(4, 4, 2)], residualFilters: [ConvFilter(4, 3, 1)],
    hiddenSize: 8, generator: &g)
}

/// A trajectory `[T, B]` of random frames, actions and rewards.
func trajectory(_ t: Int, _ b: Int, actions: Int, seed: UInt64) -> ObservationActionReward {
  var g = RandomGenerator(seed: seed)
  let observation = Tensor(randomUniform: [t, b, 12, 12, 3], generator: &g)
  let action = IndexTensor(
    shape: [t, b], scalars: (0..<(t * b)).map { _ in Int32(g.next() % UInt64(actions)) })
  return ObservationActionReward(
    observation: observation, action: action, reward: Tensor(randomNormal: [t, b], generator: &g))
}

/// The FTW network and a pixel-control network sharing one torso, as the FTW agent has them.
final class AgentNetworks: Module {
  let policy: FtwNetwork
  let pixelControl: RNNPixelControlNetwork<LSTM>

  init(generator g: inout RandomGenerator) throws {
    let torso = try smallTorso(&g)
    let embed = try OAREmbedding(torso: torso, numActions: [4])
    let rpth = try RPTH(
      inputSize: embed.outputSize, period: [2],
      options: VariationalUnitOptions(hiddenSize: 6, numDimensions: 5), generator: &g)
    policy = try FtwNetwork(embed: embed, core: rpth, numActions: 4, headHiddenSize: 7, generator: &g)
    pixelControl = try RNNPixelControlNetwork(
      embed: torso, core: LSTM(inputSize: torso.hiddenSize, hiddenSize: 5, generator: &g), numActions: 4,
      generator: &g)
    super.init(name: "agent")
    register(policy, as: "policy")
    register(pixelControl, as: "pixel_control")
  }
}
