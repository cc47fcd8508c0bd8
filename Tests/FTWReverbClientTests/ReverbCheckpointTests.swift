#if Distributed
import FTWReverb
import FTWReverbClient
import Foundation
import Testing

@Suite struct ReverbCheckpointTests {
  @Test func aServerRestartedFromItsCheckpointKeepsItsTables() async throws {
    let first = try await ReverbTestServer.start(agents: 1, queueSize: 8)
    var columns = Columns(state: 21)
    let queued = try (0..<3).map { _ in try columns.item(steps: 4) }
    let replayed = try (0..<2).map { _ in try columns.item(steps: 4) }
    do {
      let client = try await ReverbClient.connect(to: first.address)
      defer { client.close() }
      let writer = client.writer()
      for item in queued { try await writer.insert(item, table: ReverbTables.trajectories(0)) }
      for item in replayed { try await writer.insert(item, table: ReverbTables.pixelControl(0)) }
      try await writer.close()
      let path = try await client.checkpoint()
      #expect(path.hasPrefix(first.checkpointDirectory.path))
    }
    await first.stop()

    let second = try await ReverbTestServer.start(
      agents: 1, queueSize: 8, checkpointDirectory: first.checkpointDirectory)
    defer { Task { await second.stop() } }
    let client = try await ReverbClient.connect(to: second.address)
    defer { client.close() }
    let tables = try await client.serverInfo()
    #expect(tables.first { $0.name == ReverbTables.trajectories(0) }?.currentSize == 3)
    #expect(tables.first { $0.name == ReverbTables.pixelControl(0) }?.currentSize == 2)
    let samples = try await client.sample(
      table: ReverbTables.trajectories(0), count: 3, timeout: .seconds(10))
    #expect(samples.map(\.columns) == queued)
  }
}
#endif
