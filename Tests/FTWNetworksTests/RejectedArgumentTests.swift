import FTWLayers
import FTWNetworks
import FTWTensor
import Testing

/// Every argument the reference rejects (and those whose shapes cannot fit) is a thrown error that
/// names the module, the argument and what is allowed.
@Suite struct RejectedArgumentTests {
  func message(_ body: (inout RandomGenerator) throws -> Void) -> String? {
    var g = RandomGenerator(seed: 1)
    do {
      try body(&g)
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test func torso() {
    #expect(
      message { g in _ = try FtwTorso(observationShape: [84, 84], generator: &g) }
        == "FtwTorso: observation_shape must be [height, width, channels] of positive sizes, got [84, 84]")
    #expect(
      message { g in _ = try FtwTorso(convFilters: [ConvFilter(8, 0, 1)], generator: &g) }
        == "FtwTorso: conv_filters must hold positive (num_channels, kernel_size, stride) triples, got (8, 0, 1)"
    )
    #expect(
      message { g in _ = try FtwTorso(residualFilters: [ConvFilter(32, 3, 1)], generator: &g) }
        == "FtwTorso: residual_filters block 0 (32, 3, 1) cannot add its input: it needs 64 channels and stride 1"
    )
    #expect(
      message { g in _ = try FtwTorso(hiddenSize: 0, generator: &g) }
        == "FtwTorso: hidden_size must be positive, got 0")
  }

  @Test func heads() {
    #expect(
      message { g in _ = try PolicyValueHead(inputSize: 4, numActions: 0, generator: &g) }
        == "PolicyValueHead: num_actions must be positive, got 0")
    #expect(
      message { g in
        _ = try MultivariateNormalDiagLocScaleHead(inputSize: 4, numDimensions: -1, generator: &g)
      }
        == "MultivariateNormalDiagLocScaleHead: num_dimensions must be positive, got -1")
    #expect(
      message { g in _ = try PixelControl(inputSize: 4, numActions: 0, generator: &g) }
        == "PixelControl: num_actions must be positive, got 0")
  }

  @Test func embeddingAndInternalRewards() throws {
    #expect(
      message { g in _ = try InternalRewards(numEvents: 0, initialValue: .exact(1), generator: &g) }
        == "internal_rewards: num_events must be > 0, got 0")
    #expect(
      message { g in
        _ = try InternalRewards(numEvents: 2, initialValue: .exact(1), perturbProbability: 1.5, generator: &g)
      }
        == "internal_rewards: perturb_probability must be >= 0 and <= 1, got 1.5")
    #expect(
      message { g in
        _ = try InternalRewards(
          numEvents: 2, initialValue: .exact(1), perturbMaxPercentChange: -0.1, generator: &g)
      }
        == "internal_rewards: perturb_max_pct_change must be >= 0 and finite, got -0.1")
    #expect(
      message { g in
        _ = try InternalRewards(numEvents: 2, initialValue: .logUniform(lower: 0, upper: 1), generator: &g)
      }
        == "internal_rewards: range must be (min, max) with 0 < min <= max, got (0.0, 1.0)"
    )
    #expect(
      message { g in try InternalRewards(numEvents: 2, initialValue: .exact(1), generator: &g).setValues([1])
      }
        == "internal_rewards: needs 2 finite values, got [1.0]")
    #expect(
      message { g in _ = try OAREmbedding(torso: smallTorso(&g), numActions: []) }
        == "OAREmbedding: num_actions must be a positive int or a non-empty sequence of positive ints, got []"
    )
    #expect(
      message { g in
        _ = try OAREmbedding(
          torso: smallTorso(&g), numActions: [3],
          internalRewards: InternalRewards(numEvents: 4, initialValue: .exact(1), generator: &g))
      } == "OAREmbedding: internal_rewards has 4 events but the reward has 1 components")
  }

  @Test func memoryAndRecurrence() {
    #expect(
      message { g in _ = try MemoryAccess(inputSize: 4, wordSize: 0, generator: &g) }
        == "MemoryAccess: word_size must be positive, got 0")
    #expect(
      message { g in
        _ = try DNCWrapper(
          lstm: LSTM(inputSize: 30, hiddenSize: 8, generator: &g),
          memory: MemoryAccess(inputSize: 6, generator: &g))
      } == "DNCWrapper: memory takes inputs of size 6, but the controller outputs 8")
    #expect(
      message { g in
        _ = try DNCWrapper(
          lstm: LSTM(inputSize: 20, hiddenSize: 8, generator: &g),
          memory: MemoryAccess(inputSize: 8, generator: &g))
      } == "DNCWrapper: lstm takes inputs of size 20, which must exceed the 20 read values")
    #expect(
      message { g in
        _ = try PeriodicVariationalUnit(
          period: 0, inputSize: 2, options: VariationalUnitOptions(hiddenSize: 3, numDimensions: 2),
          generator: &g)
      }
        == "PeriodicVariationalUnit: period must be positive, got 0.0")
    #expect(
      message { g in _ = try RPTH(inputSize: 4, period: [], generator: &g) }
        == "RPTH: period needs at least one period")
    #expect(
      message { g in
        _ = try RPTH(
          inputSize: 4, period: [2], options: VariationalUnitOptions(hiddenSize: 4, numDimensions: 2),
          sharedMemory: MemoryAccess(inputSize: 5, generator: &g),
          generator: &g)
      } == "DNCWrapper: memory takes inputs of size 5, but the controller outputs 4")
    #expect(
      message { g in
        let embed = try OAREmbedding(torso: smallTorso(&g), numActions: [4])
        let rpth = try RPTH(
          inputSize: 3, period: [2], options: VariationalUnitOptions(hiddenSize: 4, numDimensions: 2),
          generator: &g)
        _ = try FtwNetwork(embed: embed, core: rpth, numActions: 4, generator: &g)
      } == "FtwNetwork: core takes inputs of size 3, but the embedding has size 13")
  }
}
