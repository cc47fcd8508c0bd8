#if Distributed
import FTWReverb
import FTWReverbClient
import Foundation
import Testing

/// Random tensors of the three column types a trajectory has (pixels, actions, values), with
/// awkward float bit patterns (negative zero, infinities, NaN payloads, subnormals).
struct Columns {
  var state: UInt64

  mutating func next() -> UInt64 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return state
  }

  mutating func item(steps: Int, marker: Int32 = 0) throws -> [ReverbTensor] {
    let special: [UInt32] = [0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_1234, 0x0000_0001]
    let floats = (0..<(steps * 3)).map { index -> Float in
      index < special.count
        ? Float(bitPattern: special[index]) : Float(bitPattern: UInt32(truncatingIfNeeded: next() >> 32))
    }
    // Pixels that change slowly from step to step, as frames do (delta encoding's case).
    let base = (0..<(6 * 7 * 3)).map { _ in UInt8(truncatingIfNeeded: next() >> 56) }
    let pixels = (0..<steps).flatMap { step in base.map { $0 &+ UInt8(truncatingIfNeeded: step) } }
    let actions = (0..<steps).map { step in
      step == 0 ? marker : Int32(truncatingIfNeeded: next() >> 33) - (1 << 29)
    }
    return [
      try ReverbTensor(pixels, shape: [steps, 6, 7, 3]),
      try ReverbTensor(actions, shape: [steps]),
      try ReverbTensor(floats, shape: [steps, 3]),
    ]
  }
}

@Suite(.serialized) struct ReverbClientTests {
  /// A server that cannot be reached, or that cancelled a call as it stopped, is gone (the actor
  /// and the learner reconnect); other refusals are not.
  @Test func aServerThatStopsIsGone() {
    #expect(ReverbError.unreachable(address: "localhost:1", reason: "refused").isServerGone)
    #expect(ReverbError.server(code: "cancelled", message: "RateLimiter has been cancelled").isServerGone)
    #expect(!ReverbError.server(code: "deadlineExceeded", message: "timeout").isServerGone)
    #expect(!ReverbError.server(code: "notFound", message: "no table").isServerGone)
    #expect(!ReverbError.closed("the writer is closed").isServerGone)
  }

  @Test func columnsRoundTripBitIdentically() async throws {
    let server = try await ReverbTestServer.shared.value
    let client = try await ReverbClient.connect(to: server.address)
    defer { client.close() }
    var columns = Columns(state: 1)
    for deltaEncoded in [true, false] {
      let writer = client.writer(deltaEncoded: deltaEncoded)
      let sent = try columns.item(steps: 20)
      let key = try await writer.insert(sent, table: ReverbTables.trajectories(0))
      try await writer.close()
      #expect(await writer.confirmed == 1)
      let sample = try #require(try await client.sample(table: ReverbTables.trajectories(0), count: 1).first)
      #expect(sample.key == key && sample.timesSampled == 1)
      #expect(sample.columns == sent)
      #expect(sample.columns.map(\.dataType) == [.uint8, .int32, .float32])
    }
    let info = try await client.serverInfo()
    let queue = try #require(info.first { $0.name == ReverbTables.trajectories(0) })
    #expect(queue.maxSize == 4 && queue.currentSize == 0 && queue.maxTimesSampled == 1)
  }

  @Test func theQueueDeliversEveryItemOnceInOrderFromSeveralWriters() async throws {
    let server = try await ReverbTestServer.shared.value
    let reader = try await ReverbClient.connect(to: server.address)
    defer { reader.close() }
    let (writers, perWriter) = (3, 8)
    // Each writer on a connection of its own; the queue holds 4, so writers wait for the reader.
    let writing = Task {
      try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<writers {
          group.addTask {
            let client = try await ReverbClient.connect(to: server.address)
            defer { client.close() }
            let writer = client.writer()
            for sequence in 0..<perWriter {
              let column = try ReverbTensor([Int32(index), Int32(sequence)], shape: [1, 2])
              try await writer.insert([column], table: ReverbTables.trajectories(1))
            }
            try await writer.close()
          }
        }
        try await group.waitForAll()
      }
    }
    var seen: [[Int32]] = []
    while seen.count < writers * perWriter {
      for sample in try await reader.sample(
        table: ReverbTables.trajectories(1), count: 2, timeout: .seconds(60))
      {
        seen.append(try sample.columns[0].int32s())
      }
    }
    try await writing.value
    #expect(Set(seen).count == writers * perWriter)
    for index in 0..<writers {
      let order = seen.filter { $0[0] == Int32(index) }.map { $0[1] }
      #expect(order == (0..<Int32(perWriter)).map { $0 })
    }
    let queue = try #require(try await reader.serverInfo().first { $0.name == ReverbTables.trajectories(1) })
    #expect(queue.currentSize == 0)
  }

  @Test func aFullQueueBlocksTheWriterUntilSomeoneSamples() async throws {
    let server = try await ReverbTestServer.shared.value
    let client = try await ReverbClient.connect(to: server.address)
    defer { client.close() }
    let writer = client.writer(maxInFlightItems: 1)
    var columns = Columns(state: 2)
    for _ in 0..<4 {
      try await writer.insert(try columns.item(steps: 2), table: ReverbTables.trajectories(2))
    }
    try await writer.flush()
    #expect(await writer.confirmed == 4)
    // The fifth goes out but the table cannot take it; the sixth waits for its confirmation.
    try await writer.insert(try columns.item(steps: 2), table: ReverbTables.trajectories(2))
    let sixthItem = try columns.item(steps: 2)
    let sixth = Task { try await writer.insert(sixthItem, table: ReverbTables.trajectories(2)) }
    try await Task.sleep(for: .seconds(2))
    #expect(await writer.confirmed == 4)
    let queue = try #require(try await client.serverInfo().first { $0.name == ReverbTables.trajectories(2) })
    #expect(queue.currentSize == 4)
    // Sampling two makes room for both.
    _ = try await client.sample(table: ReverbTables.trajectories(2), count: 2)
    _ = try await sixth.value
    try await writer.close()
    #expect(await writer.confirmed == 6)
    _ = try await client.sample(table: ReverbTables.trajectories(2), count: 4)
  }

  @Test func aWriterWhoseServerDiesIsNoLongerFullAndThrows() async throws {
    let server = try await ReverbTestServer.start(agents: 1, queueSize: 1)
    let client = try await ReverbClient.connect(to: server.address)
    defer { client.close() }
    let writer = client.writer(maxInFlightItems: 1)
    var columns = Columns(state: 5)
    try await writer.insert(try columns.item(steps: 2), table: ReverbTables.trajectories(0))
    try await writer.flush()
    // The second item waits for room in a queue nobody samples, so the writer is full.
    try await writer.insert(try columns.item(steps: 2), table: ReverbTables.trajectories(0))
    #expect(await writer.isFull)
    await server.kill()
    // The stream fails: the item will never be confirmed, and the writer no longer waits for it.
    var waits = 0
    while await writer.isFull, waits < 300 {
      try await Task.sleep(for: .milliseconds(100))
      waits += 1
    }
    let (full, inFlight, confirmed) = (await writer.isFull, await writer.inFlight, await writer.confirmed)
    #expect(!full)
    #expect(inFlight == 1)
    #expect(confirmed == 1)
    let third = try columns.item(steps: 2)
    do {
      try await writer.insert(third, table: ReverbTables.trajectories(0))
      Issue.record("a writer whose server died took an item")
    } catch let error as ReverbError {
      #expect(error.isUnreachable || error.isClosed, "\(error)")
    }
  }

  @Test func resetEmptiesATable() async throws {
    let server = try await ReverbTestServer.shared.value
    let client = try await ReverbClient.connect(to: server.address)
    defer { client.close() }
    let writer = client.writer()
    var columns = Columns(state: 4)
    for _ in 0..<3 {
      try await writer.insert(try columns.item(steps: 3), table: ReverbTables.pixelControl(0))
    }
    try await writer.close()
    #expect(try await client.serverInfo().first { $0.name == ReverbTables.pixelControl(0) }?.currentSize == 3)
    try await client.reset(table: ReverbTables.pixelControl(0))
    #expect(try await client.serverInfo().first { $0.name == ReverbTables.pixelControl(0) }?.currentSize == 0)
  }

  @Test func anUnknownTableIsAServerError() async throws {
    let server = try await ReverbTestServer.shared.value
    let client = try await ReverbClient.connect(to: server.address)
    defer { client.close() }
    await #expect(throws: ReverbError.self) {
      _ = try await client.sample(table: "no_such_table", count: 1, timeout: .seconds(1))
    }
    await #expect(throws: ReverbError.self) { try await client.reset(table: "no_such_table") }
  }

  @Test func aServerThatIsNotThereIsReportedByAddress() async throws {
    // Nothing listens on port 1 here.
    let address = try ReverbAddress("127.0.0.1:1")
    do {
      _ = try await ReverbClient.connect(to: address, attempts: 3, firstDelay: .milliseconds(10))
      Issue.record("connected to a server that does not exist")
    } catch let error as ReverbError {
      guard case .unreachable = error else {
        Issue.record("expected unreachable, got \(error)")
        return
      }
      #expect(error.description.contains("127.0.0.1:1"))
    }
  }
}
#endif
