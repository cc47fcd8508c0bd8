#if Distributed
import FTWReverb
import GRPCCore
import GRPCProtobuf

/// One item sampled from a table: its columns (cut from the chunks the server sent) and what the
/// server said about it.
///
/// ```swift
/// let sample = try await client.sample(table: ReverbTables.trajectories(0), count: 1)[0]
/// let rewards = try sample.columns[2].floats()
/// ```
public struct ReverbSample: Sendable {
  public var key: UInt64
  public var priority: Double
  /// Times the item was sampled, this time included.
  public var timesSampled: Int
  /// The probability with which the item was drawn.
  public var probability: Double
  /// Items in the table when it was drawn.
  public var tableSize: Int
  public var columns: [ReverbTensor]
}

extension ReverbClient {
  /// Samples `count` items from `table` on one sample stream, in the order the server draws them
  /// (a queue's order for a FIFO table). Waits while the table's rate limiter blocks sampling,
  /// at most `timeout` when given (then the server answers with an error).
  public func sample(table: String, count: Int, timeout: Duration? = nil) async throws -> [ReverbSample] {
    guard count >= 1 && count <= 1 << 20 else {
      throw ReverbError.protocolViolation("sample count must be in 1...\(1 << 20), got \(count)")
    }
    var message = Deepmind_Reverb_SampleStreamRequest()
    message.table = table
    message.numSamples = Int64(count)
    if let timeout {
      message.rateLimiterTimeout.milliseconds = Int64(timeout / .milliseconds(1))
    }
    let request = message
    let (done, finish) = AsyncStream.makeStream(of: Void.self)
    return try await call {
      try await self.service.sampleStream(
        options: self.options,
        requestProducer: { writer in
          try await writer.write(request)
          // Keep the request side open until every sample has arrived.
          for await _ in done {}
        },
        onResponse: { response in
          defer { finish.finish() }
          var samples: [ReverbSample] = []
          var assembler = SampleAssembler()
          for try await message in response.messages {
            for entry in message.entries {
              if let sample = try assembler.add(entry) { samples.append(sample) }
            }
            if samples.count >= count { break }
          }
          guard samples.count == count else {
            throw ReverbError.protocolViolation(
              "the sample stream ended after \(samples.count) of \(count) samples")
          }
          return samples
        })
    }
  }
}

/// Collects a sample's entries (its info, then its chunks, possibly over several messages) until
/// the entry that ends it, and cuts the item's columns from the chunks.
///
/// ```swift
/// var assembler = SampleAssembler()
/// for entry in response.entries {
///   if let sample = try assembler.add(entry) { print(sample.columns.map(\.shape)) }
/// }
/// ```
public struct SampleAssembler {
  private var info: Deepmind_Reverb_SampleInfo?
  private var chunks: [UInt64: [ReverbTensor]] = [:]

  /// An assembler waiting for a sample's first entry.
  public init() {}

  /// Adds the next entry of the stream; returns the sample it ends, or `nil` while it does not.
  /// Throws a ``ReverbError`` when the entries do not make a sample (a chunk that does not
  /// decompress, columns that cut outside their chunks, an end before the info).
  public mutating func add(_ entry: Deepmind_Reverb_SampleStreamResponse.SampleEntry) throws -> ReverbSample?
  {
    if entry.hasInfo { info = entry.info }
    for chunk in entry.data {
      let tensors = chunk.data.tensors.isEmpty ? chunk.deprecatedData : chunk.data.tensors
      chunks[chunk.chunkKey] = try tensors.map { try $0.decompressed(deltaEncoded: chunk.deltaEncoded) }
    }
    guard entry.endOfSequence else { return nil }
    guard let info else { throw ReverbError.protocolViolation("a sample ended before its info arrived") }
    defer {
      self.info = nil
      chunks.removeAll()
    }
    let item = info.item
    return ReverbSample(
      key: item.key, priority: item.priority, timesSampled: Int(item.timesSampled),
      probability: info.probability, tableSize: Int(info.tableSize),
      columns: try FlatTrajectory(item.flatTrajectory).assemble(chunks: chunks))
  }
}
#endif
