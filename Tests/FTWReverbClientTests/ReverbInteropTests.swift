#if Distributed
import FTWReverb
import FTWReverbClient
import Foundation
import Testing

/// The Swift client and Python's dm-reverb client read each other's items.
@Suite(.serialized) struct ReverbInteropTests {
  @Test(arguments: ["trajectory", "legacy"])
  func swiftReadsWhatPythonWrote(writer: String) async throws {
    let server = try await ReverbTestServer.shared.value
    let client = try await ReverbClient.connect(to: server.address)
    defer { client.close() }
    var columns = Columns(state: writer == "legacy" ? 11 : 12)
    let items = try (0..<2).map { _ in try columns.item(steps: 5) }
    let input = try JSONEncoder().encode(items.map { $0.map(PeerColumn.init) })
    _ = try await runPythonPeer(
      [
        "write", "--server", "\(server.address)", "--table", ReverbTables.trajectories(3), "--writer", writer,
      ],
      input: input)
    let samples = try await client.sample(
      table: ReverbTables.trajectories(3), count: 2, timeout: .seconds(30))
    #expect(samples.map(\.columns) == items)
  }

  @Test func pythonReadsWhatSwiftWrote() async throws {
    let server = try await ReverbTestServer.shared.value
    let client = try await ReverbClient.connect(to: server.address)
    defer { client.close() }
    var columns = Columns(state: 13)
    let items = try (0..<2).map { _ in try columns.item(steps: 7) }
    let writer = client.writer(deltaEncoded: true)
    for item in items { try await writer.insert(item, table: ReverbTables.trajectories(4)) }
    try await writer.close()
    let output = try await runPythonPeer(
      ["read", "--server", "\(server.address)", "--table", ReverbTables.trajectories(4), "--count", "2"])
    let read = try JSONDecoder().decode([[PeerColumn]].self, from: output)
    #expect(read == items.map { $0.map(PeerColumn.init) })
  }

  @Test func theQueueDeliversEveryItemOnceInOrderFromSeveralWriterProcesses() async throws {
    let server = try await ReverbTestServer.shared.value
    let client = try await ReverbClient.connect(to: server.address)
    defer { client.close() }
    let (writers, perWriter) = (3, 6)
    // Three Python processes write at once into a queue of four: they wait for the reader.
    let inputs = try (0..<writers).map { index in
      try JSONEncoder().encode(
        try (0..<perWriter).map { sequence in
          [PeerColumn(try ReverbTensor([Int32(index), Int32(sequence)], shape: [1, 2]))]
        })
    }
    let address = "\(server.address)"
    let writing = Task {
      try await withThrowingTaskGroup(of: Data.self) { group in
        for input in inputs {
          group.addTask {
            try await runPythonPeer(
              ["write", "--server", address, "--table", ReverbTables.trajectories(6)], input: input)
          }
        }
        try await group.waitForAll()
      }
    }
    var seen: [[Int32]] = []
    while seen.count < writers * perWriter {
      for sample in try await client.sample(
        table: ReverbTables.trajectories(6), count: 1, timeout: .seconds(120))
      {
        seen.append(try sample.columns[0].int32s())
      }
    }
    try await writing.value
    #expect(Set(seen).count == writers * perWriter)
    for index in 0..<writers {
      #expect(seen.filter { $0[0] == Int32(index) }.map { $0[1] } == (0..<Int32(perWriter)).map { $0 })
    }
    let queue = try #require(try await client.serverInfo().first { $0.name == ReverbTables.trajectories(6) })
    #expect(queue.currentSize == 0)
  }
}
#endif
