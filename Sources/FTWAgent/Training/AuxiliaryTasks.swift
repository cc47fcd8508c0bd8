import FTWEnvironments
import FTWLayers
import FTWNetworks
import FTWTensor

/// The FTW agent's auxiliary tasks with their own small replays, as the reference keeps them:
/// pixel control on sequences drawn uniformly from a replay of recent trajectories, and reward
/// prediction on three-frame sequences drawn evenly from a replay of those followed by no reward
/// and one of those followed by some.
///
/// Both share the agent's torso, so what they learn shapes the features the policy sees. Frames
/// are kept as bytes.
///
/// ```swift
/// let tasks = try AuxiliaryTasks(agent: agent, configuration: configuration, generator: &generator)
/// tasks.remember(trajectory)
/// let (pixelControlLoss, rewardPredictionLoss) = try tasks.step(learner)
/// ```
public final class AuxiliaryTasks {
  /// The pixel-control network (the agent's torso, an LSTM, the pixel-control head), if its cost
  /// is positive.
  public let pixelControl: RNNPixelControlNetwork<LSTM>?
  /// The reward-prediction network (the agent's torso and a classifier), if its cost is positive.
  public let rewardPrediction: RewardPredictionNetwork?
  /// Trajectories kept for pixel control.
  public let pixelControlCapacity: Int
  /// Sequences kept for reward prediction, in each of the two replays.
  public let rewardPredictionCapacity: Int
  /// Sequences of a stored batch that a pixel-control step trains on.
  public let pixelControlSequences: Int

  private let agent: Agent
  private var generator: RandomGenerator
  private var pixelReplay: [(frames: PixelBytes, actions: IndexTensor)] = []
  private var zeroReward: [(frames: [UInt8], events: [Float])] = []
  private var someReward: [(frames: [UInt8], events: [Float])] = []
  private let sequenceLength = 3

  /// The modules a checkpoint keeps, by name.
  public var modules: [String: Module] {
    var modules: [String: Module] = [:]
    if let pixelControl { modules["pixel_control"] = pixelControl }
    if let rewardPrediction { modules["reward_prediction"] = rewardPrediction }
    return modules
  }

  /// The tasks of `configuration` (none whose cost is 0), built on `agent`'s torso.
  public init(agent: Agent, configuration: TrainingConfiguration, generator: inout RandomGenerator) throws {
    self.agent = agent
    let torso = agent.network.embed.torso
    pixelControl =
      configuration.auxiliary.pixelControlCost > 0
      ? try RNNPixelControlNetwork(
        embed: torso,
        core: LSTM(
          inputSize: torso.hiddenSize, hiddenSize: configuration.network.coreHiddenSize, generator: &generator
        ),
        numActions: agent.actionSpec.flatCount, generator: &generator) : nil
    rewardPrediction =
      configuration.auxiliary.rewardPredictionCost > 0
      ? try RewardPredictionNetwork(embed: torso, sequenceLength: sequenceLength, generator: &generator) : nil
    pixelControlCapacity = configuration.auxiliary.pixelControlReplaySize
    rewardPredictionCapacity = configuration.auxiliary.rewardPredictionReplaySize
    pixelControlSequences = configuration.auxiliary.pixelControlSequences
    // The replays' sampling continues the member's stream.
    self.generator = RandomGenerator(seed: generator.next())
  }

  /// Keeps what the tasks need of a trajectory batch (replacing random old entries when full).
  public func remember(_ trajectory: TrajectoryBatch) {
    guard pixelControl != nil || rewardPrediction != nil else { return }
    let observation = trajectory.inputs.observation
    if pixelControl != nil {
      insert((observation, flatActions(trajectory)), into: &pixelReplay, capacity: pixelControlCapacity)
    }
    guard rewardPrediction != nil else { return }
    let (frames, frameSize) = (observation.bytes, observation.frameSize)
    let (length, batch) = (observation.shape[0], observation.shape[1])
    let events = GameEvent.allCases.count
    let rewards = trajectory.rewards.scalars
    let weights = agent.internalRewards.values
    for seat in 0..<batch {
      for start in 0..<(length - sequenceLength) {
        // The frames start..<start+3 and the events of the transition out of the last of them.
        var sequence: [UInt8] = []
        sequence.reserveCapacity(sequenceLength * frameSize)
        for t in start..<(start + sequenceLength) {
          let offset = (t * batch + seat) * frameSize
          sequence.append(contentsOf: frames[offset..<(offset + frameSize)])
        }
        let eventOffset = ((start + sequenceLength - 1) * batch + seat) * events
        let stepEvents = Array(rewards[eventOffset..<(eventOffset + events)])
        let reward = zip(stepEvents, weights).map(*).reduce(0, +)
        if reward == 0 {
          // Zero-reward sequences are plentiful: keep one in ten.
          if generator.nextUniform() < 0.1 {
            insert((sequence, stepEvents), into: &zeroReward, capacity: rewardPredictionCapacity)
          }
        } else {
          insert((sequence, stepEvents), into: &someReward, capacity: rewardPredictionCapacity)
        }
      }
    }
  }

  /// One step of each task on a sample of its replay; returns their losses (costs applied), 0 for
  /// a task that is off or has nothing to learn from yet.
  public func step(_ learner: FtwLearner) throws -> (pixelControl: Float, rewardPrediction: Float) {
    var pixelLoss: Float = 0
    var rewardLoss: Float = 0
    if let pixelControl, !pixelReplay.isEmpty {
      // A few sequences of one stored batch: pixel control costs about a learner step per sequence.
      let entry = pixelReplay[Int(generator.nextUniform() * Float(pixelReplay.count)) % pixelReplay.count]
      let (length, batch) = (entry.frames.shape[0], entry.frames.shape[1])
      let width = min(pixelControlSequences, batch)
      let first = Int(generator.nextUniform() * Float(batch - width + 1)) % (batch - width + 1)
      let frameSize = entry.frames.frameSize
      var bytes: [UInt8] = []
      bytes.reserveCapacity(length * width * frameSize)
      for t in 0..<length {
        let offset = (t * batch + first) * frameSize
        bytes += entry.frames.bytes[offset..<(offset + width * frameSize)]
      }
      let actions = (0..<(length - 1)).flatMap { t in
        entry.actions.scalars[(t * batch + first)..<(t * batch + first + width)]
      }
      pixelLoss = try learner.pixelControlStep(
        pixelControl,
        observations: PixelBytes(shape: [length, width] + entry.frames.shape.dropFirst(2), bytes: bytes)
          .scaled(),
        actions: IndexTensor(shape: [length - 1, width], scalars: actions),
        initialState: pixelControl.initialState(batchSize: width))
    }
    if let rewardPrediction, !someReward.isEmpty, !zeroReward.isEmpty {
      let half = 8
      let chosen =
        (0..<half).map { _ in
          zeroReward[Int(generator.nextUniform() * Float(zeroReward.count)) % zeroReward.count]
        }
        + (0..<half).map { _ in
          someReward[Int(generator.nextUniform() * Float(someReward.count)) % someReward.count]
        }
      let size = agent.configuration.world.viewSize
      let frames = PixelBytes(
        shape: [chosen.count, sequenceLength, size, size, 3], bytes: chosen.flatMap(\.frames)
      ).scaled()
      let events = Tensor(shape: [chosen.count, GameEvent.allCases.count], scalars: chosen.flatMap(\.events))
      rewardLoss = try learner.rewardPredictionStep(rewardPrediction, frames: frames, rewards: events)
    }
    return (pixelLoss, rewardLoss)
  }

  /// The trajectory's first `T` actions as flat composite-action indices `[T, B]`.
  private func flatActions(_ trajectory: TrajectoryBatch) -> IndexTensor {
    let actions = trajectory.transitionActions
    guard agent.configuration.network.policy == .decomposed else { return actions }
    let spec = agent.actionSpec
    let count = spec.components.count
    let rows = actions.scalars.count / count
    let flat = (0..<rows).map { row in
      Int32(
        (try? spec.flatIndex(of: actions.scalars[(row * count)..<((row + 1) * count)].map(Int.init))) ?? 0)
    }
    return IndexTensor(shape: Array(actions.shape.dropLast()), scalars: flat)
  }

  private func insert<Entry>(_ entry: Entry, into replay: inout [Entry], capacity: Int) {
    if replay.count < capacity {
      replay.append(entry)
    } else {
      replay[Int(generator.nextUniform() * Float(capacity)) % capacity] = entry
    }
  }
}
