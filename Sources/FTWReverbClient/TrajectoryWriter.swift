#if Distributed
import FTWReverb
import GRPCCore
import GRPCProtobuf

/// Inserts items into a Reverb server's tables over one insert stream, the way Reverb's own
/// writers do: an item's columns go in chunks (one per number of steps; Snappy-compressed,
/// integer tensors of two or more dimensions delta-encoded along time), sent with the item that
/// refers to them; the server confirms each item once its table holds it.
///
/// At most `maxInFlightItems` items wait for their confirmation: ``insert(_:table:priority:)``
/// waits for room, so a table whose rate limiter blocks inserts (a full queue nobody samples)
/// blocks the writer. ``flush()`` waits until every item is confirmed; an item confirmed is in the
/// table, so a writer that dies loses only unconfirmed items.
///
/// ```swift
/// let writer = client.writer()
/// // Three columns of 20 steps: frames [20, 84, 84, 3] uint8, actions [20] int32, rewards [20].
/// let key = try await writer.insert([frames, actions, rewards], table: ReverbTables.trajectories(0))
/// try await writer.close()   // flushes, then ends the stream
/// ```
public actor TrajectoryWriter {
  /// The client whose connection the stream uses.
  public nonisolated let client: ReverbClient
  /// The most items that may wait for the server's confirmation.
  public nonisolated let maxInFlightItems: Int
  /// Whether integer columns of two or more dimensions are delta-encoded (Reverb's
  /// `delta_encoded` chunks; default true).
  public nonisolated let deltaEncoded: Bool

  private let requests: AsyncStream<Deepmind_Reverb_InsertStreamRequest>.Continuation
  private var pending: Set<UInt64> = []
  private var waiters: [CheckedContinuation<Void, Never>] = []
  private var failure: ReverbError?
  private var confirmedCount = 0
  private var keys = SystemRandomNumberGenerator()

  init(client: ReverbClient, maxInFlightItems: Int, deltaEncoded: Bool) {
    precondition(maxInFlightItems >= 1, "maxInFlightItems must be at least 1, got \(maxInFlightItems)")
    self.client = client
    self.maxInFlightItems = maxInFlightItems
    self.deltaEncoded = deltaEncoded
    let (stream, continuation) = AsyncStream.makeStream(of: Deepmind_Reverb_InsertStreamRequest.self)
    self.requests = continuation
    Task { [self] in
      do {
        try await client.service.insertStream(
          options: client.options,
          requestProducer: { writer in
            for await request in stream { try await writer.write(request) }
          },
          onResponse: { response in
            for try await message in response.messages { await self.confirm(message.keys) }
          })
        await self.end(nil)
      } catch {
        await self.end(ReverbError.from(error, address: "\(client.address)"))
      }
    }
  }

  /// Items the server has confirmed so far.
  public var confirmed: Int { confirmedCount }

  /// Items sent and not yet confirmed; ``insert(_:table:priority:)`` waits while there are
  /// `maxInFlightItems` of them.
  public var inFlight: Int { pending.count }

  /// Whether ``insert(_:table:priority:)`` would wait for room: `maxInFlightItems` items wait for
  /// their confirmation and the stream has not failed. A writer whose stream failed is never full:
  /// its unconfirmed items will not be confirmed, and its next insert throws the failure.
  public var isFull: Bool { failure == nil && pending.count >= maxInFlightItems }

  /// Inserts one item whose columns are `columns` (each `[T, ...]` with `T` ≥ 1; columns of the
  /// same `T` share a chunk) into `table`; returns the item's key once the item is sent (not yet
  /// confirmed: see ``flush()``).
  @discardableResult
  public func insert(_ columns: [ReverbTensor], table: String, priority: Double = 1) async throws -> UInt64 {
    guard !columns.isEmpty,
      columns.allSatisfy({ column in column.shape.first.map { (1...Int(Int32.max)).contains($0) } ?? false })
    else {
      throw ReverbError.protocolViolation(
        "an item needs columns with a time axis of at least one step; got shapes \(columns.map(\.shape))")
    }
    while isFull { await waitForChange() }
    if let failure { throw failure }

    let request = Self.request(
      inserting: columns, table: table, priority: priority, deltaEncoded: deltaEncoded, keys: &keys)
    let item = request.items[0]
    pending.insert(item.key)
    requests.yield(request)
    return item.key
  }

  /// Waits until the server has confirmed every item sent; throws if the stream failed first.
  public func flush() async throws {
    while !pending.isEmpty && failure == nil { await waitForChange() }
    if let failure { throw failure }
  }

  /// Flushes, then ends the stream. The writer takes no more items.
  public func close() async throws {
    defer {
      requests.finish()
      if failure == nil { failure = .closed("the writer is closed") }
    }
    try await flush()
  }

  /// The insert request of one item of `columns` (each with a time axis of at least one step)
  /// and the chunks it needs: one chunk per column length, in order of first appearance, each
  /// column a whole tensor of its chunk, compressed (and delta encoded when asked) as Reverb
  /// stores them. `keys` draws the chunk, episode and item keys.
  ///
  /// ```swift
  /// var keys = SystemRandomNumberGenerator()
  /// let request = TrajectoryWriter.request(
  ///   inserting: columns, table: "trajectories_0", priority: 1, deltaEncoded: true, keys: &keys)
  /// ```
  public static func request(
    inserting columns: [ReverbTensor], table: String, priority: Double, deltaEncoded: Bool,
    keys: inout some RandomNumberGenerator
  ) -> Deepmind_Reverb_InsertStreamRequest {
    // One chunk per length, in order of first appearance; each column a whole tensor of its chunk.
    var lengths: [Int] = []
    var slices: [FlatTrajectory.Column] = []
    var groups: [[ReverbTensor]] = []
    var keysOfGroups: [UInt64] = []
    for column in columns {
      let length = column.shape[0]
      let group =
        lengths.firstIndex(of: length)
        ?? {
          lengths.append(length)
          groups.append([])
          keysOfGroups.append(keys.next())
          return lengths.count - 1
        }()
      slices.append(
        FlatTrajectory.Column(slices: [
          .init(chunkKey: keysOfGroups[group], offset: 0, length: length, index: groups[group].count)
        ]))
      groups[group].append(column)
    }
    let episode = keys.next()
    let chunks = groups.indices.map { group in
      var chunk = Deepmind_Reverb_ChunkData()
      chunk.chunkKey = keysOfGroups[group]
      chunk.sequenceRange.episodeID = episode
      chunk.sequenceRange.start = 0
      chunk.sequenceRange.end = Int32(lengths[group] - 1)
      chunk.data.tensors = groups[group].map {
        Tensorflow_TensorProto(compressing: $0, deltaEncoded: deltaEncoded)
      }
      chunk.dataTensorsLen = Int32(groups[group].count)
      chunk.dataUncompressedSize = Int64(groups[group].reduce(0) { $0 + $1.bytes.count })
      chunk.deltaEncoded = deltaEncoded
      return chunk
    }

    var item = Deepmind_Reverb_PrioritizedItem()
    item.key = keys.next()
    item.table = table
    item.priority = priority
    item.flatTrajectory = FlatTrajectory(columns: slices).proto

    var request = Deepmind_Reverb_InsertStreamRequest()
    request.chunks = chunks
    request.items = [item]
    // The server keeps no chunk for later items: each item carries its own.
    request.keepChunkKeys = []
    return request
  }

  private func confirm(_ keys: [UInt64]) {
    for key in keys where pending.remove(key) != nil { confirmedCount += 1 }
    wakeWaiters()
  }

  private func end(_ error: ReverbError?) {
    if failure == nil {
      failure =
        error
        ?? (pending.isEmpty
          ? .closed("the insert stream ended")
          : .closed(
            "the insert stream ended with \(pending.count) items unconfirmed"))
    }
    wakeWaiters()
  }

  private func waitForChange() async {
    await withCheckedContinuation { waiters.append($0) }
  }

  private func wakeWaiters() {
    let woken = waiters
    waiters.removeAll()
    for waiter in woken { waiter.resume() }
  }
}

extension FlatTrajectory {
  /// The layout as Reverb's message.
  var proto: Deepmind_Reverb_FlatTrajectory {
    var message = Deepmind_Reverb_FlatTrajectory()
    message.columns = columns.map { column in
      var out = Deepmind_Reverb_FlatTrajectory.Column()
      out.squeeze = column.squeeze
      out.chunkSlices = column.slices.map { slice in
        var piece = Deepmind_Reverb_FlatTrajectory.ChunkSlice()
        piece.chunkKey = slice.chunkKey
        piece.offset = Int32(slice.offset)
        piece.length = Int32(slice.length)
        piece.index = Int32(slice.index)
        return piece
      }
      return out
    }
    return message
  }

  /// The layout of Reverb's message.
  init(_ message: Deepmind_Reverb_FlatTrajectory) {
    self.init(
      columns: message.columns.map { column in
        Column(
          slices: column.chunkSlices.map {
            Slice(
              chunkKey: $0.chunkKey, offset: Int($0.offset), length: Int($0.length), index: Int($0.index))
          }, squeeze: column.squeeze)
      })
  }
}
#endif
