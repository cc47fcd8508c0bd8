import FTWEnvironments
import FTWTensor
import Foundation

/// Who plays the other team's seats while an agent trains.
public enum OpponentKind: String, Codable, CaseIterable, Sendable {
  /// The random bot.
  case random
  /// The scripted bot.
  case scripted
  /// Each game draws the random or the scripted bot for the whole other team, half and half.
  case bots
  /// Earlier versions of the agent itself (self-play against snapshots).
  case snapshots
  /// Each game draws the random bot, the scripted bot or a snapshot, a third each.
  case mixed

  /// Whether games against this opponent can draw a snapshot of the agent, so that actors keep
  /// snapshots.
  public var drawsSnapshots: Bool { self == .snapshots || self == .mixed }
}

/// The policy's form.
public enum PolicyKind: String, Codable, CaseIterable, Sendable {
  /// One categorical per action component (the paper's): move 3, strafe 3, turn 5, tag 2.
  case decomposed
  /// One categorical over the 90 composite actions.
  case flat
}

/// Everything that defines a training run: the world, the agent's network, the learning. Saved as
/// `configuration.json` in the run folder; a resumed run reads it back.
///
/// The defaults suit a 2-core laptop and the paper's FTW-default network.
///
/// ```swift
/// var configuration = TrainingConfiguration()
/// configuration.opponent = .scripted
/// try configuration.validate()
/// ```
public struct TrainingConfiguration: Codable, Sendable, Equatable {
  // MARK: The world

  /// `tiny`, `small`, `medium`, `large` (generated per game) or a named layout. Tiny arenas (the
  /// default) teach the game within half an hour on a laptop; larger ones take longer.
  public var arena = "tiny"
  /// Players per team; the agent plays every seat of its team.
  public var teamSize = 2
  /// The agent's view: `topDown` or `firstPerson`.
  public var view = ViewKind.topDown.rawValue
  /// The view's width and height in pixels.
  public var viewSize = 84
  /// Steps in a game; a multiple of `unrollLength`, so that unrolls end where games end.
  public var stepsPerGame = 1000
  /// Who plays the other team.
  public var opponent = OpponentKind.random

  // MARK: The network

  /// The name of the network's sizes (`ftw`, the paper's, or `small`), for the record.
  public var network = "ftw"
  /// Decomposed (the paper's) or flat.
  public var policy = PolicyKind.decomposed
  /// The channels of the torso's two convolutions (8x8 stride 4, then 4x4 stride 2).
  public var torsoChannels = [32, 64]
  /// The torso's residual blocks' channels.
  public var torsoResidualChannels = [64, 64]
  /// The torso's output size.
  public var torsoHiddenSize = 256
  /// RPTH's LSTM size and its latent's dimensions.
  public var coreHiddenSize = 256
  /// RPTH's latent dimensions.
  public var latentSize = 256
  /// The slow core's period in steps.
  public var slowCorePeriod = 10
  /// The policy and value MLPs' hidden size.
  public var headHiddenSize = 256

  // MARK: Learning

  /// Steps per trajectory (`T`); trajectories have `T + 1` steps.
  public var unrollLength = 20
  /// Games each actor plays at once; its batch is `gamesPerActor * teamSize` seats, and each of its
  /// trajectories one learner batch.
  public var gamesPerActor = 4
  /// Actor threads.
  public var actors = 1
  /// RMSProp's learning rate.
  public var learningRate: Float = 4e-4
  /// With `n > 0`, the learning rate falls linearly from its value to 0 as the run's frames go
  /// from 0 to `n` (a population's frames in total, so every member follows one schedule and an
  /// exploit does not restart it), as IMPALA anneals it; 0 (the default) keeps it constant.
  public var learningRateDecayFrames = 0
  /// The entropy bonus's cost.
  public var entropyCost: Float = 0.003
  /// RMSProp's epsilon, under the square root with the mean square (the reference agent's 1e-5;
  /// a large one shrinks every step whose gradients are small).
  public var rmsPropEpsilon: Float = 1e-5
  /// The discount per step.
  public var discount: Float = 0.99
  /// The global gradient norm clip.
  public var maxGradientNorm: Float = 40
  /// The pixel-control loss's cost; 0 (the default) turns the task off; the paper's agent uses
  /// 0.01 to 0.1. It needs 84x84 views. On two cores the two auxiliary tasks together halve the
  /// frames per second.
  public var pixelControlCost: Float = 0
  /// The reward-prediction loss's cost; 0 (the default) turns the task off; the paper's agent
  /// uses 0.1 to 1.
  public var rewardPredictionCost: Float = 0
  /// Learner steps between the snapshots kept as opponents.
  public var snapshotInterval = 100
  /// Snapshots kept as opponents (the oldest goes first).
  public var snapshotPoolSize = 10
  /// Sequences of a stored trajectory batch each pixel-control step trains on.
  public var pixelControlSequences = 2
  /// Trajectory batches kept for pixel control.
  public var pixelControlReplaySize = 20
  /// Three-frame sequences kept for reward prediction, in each of its two replays.
  public var rewardPredictionReplaySize = 800
  /// The internal reward of each game event (`GameEvent` order), the paper's `w`.
  public var internalRewards: [Float] = TrainingConfiguration.defaultInternalRewards
  /// The seed of everything random: arenas, bots, the network's initialisation and sampling.
  public var seed: UInt64 = 1
  /// Minutes between checkpoints.
  public var checkpointMinutes: Double = 5
  /// Run actors and learner in lock step on one thread, so two runs from one seed are
  /// bit-identical (slower: nothing overlaps).
  public var deterministic = false
  /// The precision of the large products (convolutions, linear layers) of the learner's steps and
  /// of the actors' (so that the policy that acts is the one the learner evaluates): `auto` (the
  /// default) takes bfloat16 where this CPU's bfloat16 arithmetic measures faster than its fp32
  /// (``Precision/fastest``), `bf16` needs AVX512_BF16, `fp32` is single precision. Weights, the
  /// optimiser and every reduction stay in fp32.
  public var precision = Precision.Choice.auto

  /// The internal rewards training starts from: a capture is the goal, picking up the other flag
  /// and returning one's own are steps towards it and the other team's are the mirror image; tags
  /// matter little; an equal and opposite weight on moving toward and away from the objective
  /// shapes the reward by a potential so that a beginner finds the flag (without it, a network
  /// acting at random picks up no flag in thousands of steps and learns nothing).
  public static let defaultInternalRewards: [Float] = [
    1.0,  // i_captured
    0.5,  // i_picked_up_flag
    0.2,  // i_returned_flag
    0.05,  // i_tagged_opponent
    0.2,  // i_tagged_flag_carrier
    -0.05,  // i_was_tagged
    -0.2,  // i_was_tagged_with_flag
    0.5,  // teammate_captured
    0.2,  // teammate_picked_up_flag
    0.1,  // teammate_returned_flag
    -0.5,  // opponent_captured
    -0.2,  // opponent_picked_up_flag
    -0.1,  // opponent_returned_flag
    1,  // i_moved_toward_objective
    -1,  // i_moved_away_from_objective
  ]

  /// The defaults.
  public init() {}

  private enum CodingKeys: String, CodingKey {
    case arena, teamSize, view, viewSize, stepsPerGame, opponent, network, policy, torsoChannels,
      torsoResidualChannels, torsoHiddenSize, coreHiddenSize, latentSize, slowCorePeriod, headHiddenSize,
      unrollLength, gamesPerActor, actors, learningRate, learningRateDecayFrames, entropyCost, rmsPropEpsilon,
      discount,
      maxGradientNorm, pixelControlCost, rewardPredictionCost, snapshotInterval, snapshotPoolSize,
      pixelControlSequences, pixelControlReplaySize, rewardPredictionReplaySize, internalRewards, seed,
      checkpointMinutes, deterministic, precision
  }

  /// Reads a configuration; a field missing from the file (written by an older build) keeps its
  /// default, and one that cannot be read is refused naming its key (``ConfigurationFieldError``).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init()
    func read<Value: Decodable>(_ key: CodingKeys, into value: inout Value) throws {
      if let decoded = try container.field(Value.self, forKey: key) { value = decoded }
    }
    try read(.arena, into: &arena)
    try read(.teamSize, into: &teamSize)
    try read(.view, into: &view)
    try read(.viewSize, into: &viewSize)
    try read(.stepsPerGame, into: &stepsPerGame)
    try read(.opponent, into: &opponent)
    try read(.network, into: &network)
    try read(.policy, into: &policy)
    try read(.torsoChannels, into: &torsoChannels)
    try read(.torsoResidualChannels, into: &torsoResidualChannels)
    try read(.torsoHiddenSize, into: &torsoHiddenSize)
    try read(.coreHiddenSize, into: &coreHiddenSize)
    try read(.latentSize, into: &latentSize)
    try read(.slowCorePeriod, into: &slowCorePeriod)
    try read(.headHiddenSize, into: &headHiddenSize)
    try read(.unrollLength, into: &unrollLength)
    try read(.gamesPerActor, into: &gamesPerActor)
    try read(.actors, into: &actors)
    try read(.learningRate, into: &learningRate)
    try read(.learningRateDecayFrames, into: &learningRateDecayFrames)
    try read(.entropyCost, into: &entropyCost)
    try read(.rmsPropEpsilon, into: &rmsPropEpsilon)
    try read(.discount, into: &discount)
    try read(.maxGradientNorm, into: &maxGradientNorm)
    try read(.pixelControlCost, into: &pixelControlCost)
    try read(.rewardPredictionCost, into: &rewardPredictionCost)
    try read(.snapshotInterval, into: &snapshotInterval)
    try read(.snapshotPoolSize, into: &snapshotPoolSize)
    try read(.pixelControlSequences, into: &pixelControlSequences)
    try read(.pixelControlReplaySize, into: &pixelControlReplaySize)
    try read(.rewardPredictionReplaySize, into: &rewardPredictionReplaySize)
    try read(.internalRewards, into: &internalRewards)
    try read(.seed, into: &seed)
    try read(.checkpointMinutes, into: &checkpointMinutes)
    try read(.deterministic, into: &deterministic)
    try read(.precision, into: &precision)
  }

  /// The factor on the learning rate after `frames` frames: 1 without a decay, else falling
  /// linearly to 0 at ``learningRateDecayFrames`` and staying there.
  ///
  /// ```swift
  /// configuration.learningRateDecayFrames = 1000
  /// configuration.learningRateScale(afterFrames: 250)  // 0.75
  /// ```
  public func learningRateScale(afterFrames frames: Int) -> Float {
    guard learningRateDecayFrames > 0 else { return 1 }
    return 1 - Float(min(max(frames, 0), learningRateDecayFrames)) / Float(learningRateDecayFrames)
  }

  /// The learner's batch: one actor trajectory, every seat of every game.
  public var batchSize: Int { gamesPerActor * teamSize }

  /// The view kind.
  public var viewKind: ViewKind { ViewKind(rawValue: view) ?? .topDown }

  /// The world as the environment library describes it.
  public func environmentConfiguration() throws -> CaptureTheFlagConfiguration {
    let choice: CaptureTheFlagConfiguration.ArenaChoice
    if let size = ArenaSize(rawValue: arena) {
      choice = .generated(size)
    } else {
      choice = .fixed(try Arena.named(arena))
    }
    return CaptureTheFlagConfiguration(
      arena: choice, teamSize: teamSize, view: viewKind, viewSize: viewSize, stepsPerGame: stepsPerGame)
  }

  /// Throws a ``TrainingError`` naming the first value out of range and what is allowed.
  public func validate() throws {
    try validateWorld()
    try validateNetwork()
    try validateLearning()
    try validateRun()
    _ = try environmentConfiguration().validate()
  }

  private func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw TrainingError(message()) }
  }

  /// The arena, teams, view and game length.
  private func validateWorld() throws {
    let arenas = ArenaSize.allCases.map(\.rawValue) + Arena.layoutNames
    try require(
      arenas.contains(arena), "arena must be one of \(arenas.joined(separator: ", ")), got '\(arena)'")
    try require(ViewKind(rawValue: view) != nil, "view must be topDown or firstPerson, got '\(view)'")
    try require((1...8).contains(teamSize), "teamSize must be in 1...8, got \(teamSize)")
    try require((8...256).contains(viewSize), "viewSize must be in 8...256, got \(viewSize)")
    try require((1...1000).contains(unrollLength), "unrollLength must be in 1...1000, got \(unrollLength)")
    try require(
      (unrollLength...1_000_000).contains(stepsPerGame) && stepsPerGame % unrollLength == 0,
      "stepsPerGame must be a multiple of unrollLength (\(unrollLength)) up to 1000000, got \(stepsPerGame)")
  }

  /// The actors and the network's sizes.
  private func validateNetwork() throws {
    try require((1...64).contains(gamesPerActor), "gamesPerActor must be in 1...64, got \(gamesPerActor)")
    try require((1...16).contains(actors), "actors must be in 1...16, got \(actors)")
    let sizes =
      torsoChannels + torsoResidualChannels + [torsoHiddenSize, coreHiddenSize, latentSize, headHiddenSize]
    try require(
      torsoChannels.count == 2 && !torsoResidualChannels.isEmpty
        && sizes.allSatisfy { (1...4096).contains($0) },
      "network sizes must be in 1...4096 with two torso convolutions and at least one residual block")
    try require(
      (1...100).contains(slowCorePeriod), "slowCorePeriod must be in 1...100, got \(slowCorePeriod)")
  }

  /// The learner's hyperparameters and the internal rewards.
  private func validateLearning() throws {
    try require(
      learningRate > 0 && learningRate <= 1, "learningRate must be in (0, 1], got \(learningRate)")
    try require(
      (0...1_000_000_000_000).contains(learningRateDecayFrames),
      "learningRateDecayFrames must be in 0...1000000000000 (0: constant), got \(learningRateDecayFrames)")
    try require(entropyCost >= 0 && entropyCost <= 1, "entropyCost must be in [0, 1], got \(entropyCost)")
    try require(
      rmsPropEpsilon > 0 && rmsPropEpsilon <= 1, "rmsPropEpsilon must be in (0, 1], got \(rmsPropEpsilon)")
    try require(discount >= 0 && discount <= 1, "discount must be in [0, 1], got \(discount)")
    try require(maxGradientNorm > 0, "maxGradientNorm must be positive, got \(maxGradientNorm)")
    try require(
      internalRewards.count == GameEvent.allCases.count
        && internalRewards.allSatisfy({ $0.isFinite && abs($0) <= 100 }),
      "internalRewards needs \(GameEvent.allCases.count) values in [-100, 100] (\(GameEvent.names.joined(separator: ", ")))"
    )
  }

  /// Snapshots, auxiliary tasks, checkpoints and precision.
  private func validateRun() throws {
    try require(
      (1...1_000_000).contains(snapshotInterval) && (1...1000).contains(snapshotPoolSize),
      "snapshotInterval must be in 1...1000000 and snapshotPoolSize in 1...1000")
    try require(
      pixelControlCost >= 0 && pixelControlCost <= 10 && rewardPredictionCost >= 0
        && rewardPredictionCost <= 10,
      "pixelControlCost and rewardPredictionCost must be in [0, 10]")
    try require(
      pixelControlCost == 0 || viewSize == 84,
      "pixel control needs 84x84 views (its cells cover the central 80x80 pixels); set pixelControlCost to 0 for viewSize \(viewSize)"
    )
    try require(
      (1...1000).contains(pixelControlReplaySize) && (1...100_000).contains(rewardPredictionReplaySize)
        && (1...1024).contains(pixelControlSequences),
      "pixelControlReplaySize must be in 1...1000, rewardPredictionReplaySize in 1...100000 and pixelControlSequences in 1...1024"
    )
    try require(
      checkpointMinutes > 0 && checkpointMinutes <= 1440,
      "checkpointMinutes must be in (0, 1440], got \(checkpointMinutes)")
    try require(
      precision.resolved != nil,
      "precision bf16 does not run here (\(Precision.fastestReason)); use auto or fp32")
  }
}

/// A training setting or run that cannot go on, with what was wrong and what is allowed.
public struct TrainingError: Error, CustomStringConvertible, Equatable {
  public let description: String

  /// Creates an error with its message.
  public init(_ description: String) { self.description = description }
}

extension TrainingConfiguration {
  /// The configuration as a checkpoint records it: every field, as JSON text.
  var checkpointEntries: [String: String] {
    guard let data = try? JSONEncoder().encode(self),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    return object.mapValues { value in
      (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]))
        .map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
    }
  }
}
