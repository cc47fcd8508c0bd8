import FTWAgent
import FTWNetworks
import FTWReverb
import FTWReverbClient
import Foundation

extension FuzzTarget {
  /// One message of a trajectory queue's sample stream, as the learner reads it: the protobuf,
  /// its chunks (Snappy, delta encoding, tensor protos) cut into the item's columns, the columns
  /// made into an experience of member 0 and checked against the tiny run's
  /// ``TrajectorySpec``.
  static let reverbTrajectories = FuzzTarget(
    name: "reverb-trajectories", summary: "trajectory items sampled by ftw learner (protobuf to experience)"
  ) { data in
    for columns in sampledColumns(data) {
      _ = try? ExperienceColumns.decode(
        columns, stateLike: learner.state, member: 0, members: 1, spec: learner.spec)
    }
  }

  /// One message of a weights table's sample stream, as an actor reads it: the protobuf, its
  /// chunks, and the columns made into published weights.
  static let reverbWeights = FuzzTarget(
    name: "reverb-weights", summary: "weights items sampled by ftw actor (protobuf to weights)"
  ) { data in
    for columns in sampledColumns(data) {
      _ = try? WeightsColumns.decode(columns)
    }
  }

  /// The columns of every sample `data` (a `SampleStreamResponse`) completes.
  private static func sampledColumns(_ data: Data) -> [[ReverbTensor]] {
    guard let response = try? Deepmind_Reverb_SampleStreamResponse(serializedBytes: data) else { return [] }
    var assembler = SampleAssembler()
    var samples: [[ReverbTensor]] = []
    for entry in response.entries {
      do {
        if let sample = try assembler.add(entry) { samples.append(sample.columns) }
      } catch {
        return samples
      }
    }
    return samples
  }

  /// What the learner checks items against: the tiny run's spec and recurrent state.
  private static let learner: (spec: TrajectorySpec, state: RPTHState) = {
    do {
      return (
        TrajectorySpec(configuration: TinyRun.configuration),
        try TinyRun.learner().network.initialState(batchSize: 1)
      )
    } catch {
      fatalError("cannot make the tiny learner: \(error)")
    }
  }()
}
