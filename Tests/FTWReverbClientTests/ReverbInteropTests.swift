#if Distributed
import FTWReverb
import FTWReverbClient
import Foundation
import Testing

/// One column as Scripts/reverb_peer.py reads and prints it.
struct PeerColumn: Codable, Equatable {
  var dtype: String
  var shape: [Int]
  var hex: String

  init(_ tensor: ReverbTensor) {
    dtype = "\(tensor.dataType)"
    shape = tensor.shape
    hex = tensor.bytes.map { String(format: "%02x", $0) }.joined()
  }
}

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
      ["write", "--server", "\(server.address)", "--table", "trajectories_3", "--writer", writer],
      input: input)
    let samples = try await client.sample(table: "trajectories_3", count: 2, timeout: .seconds(30))
    #expect(samples.map(\.columns) == items)
  }

  @Test func pythonReadsWhatSwiftWrote() async throws {
    let server = try await ReverbTestServer.shared.value
    let client = try await ReverbClient.connect(to: server.address)
    defer { client.close() }
    var columns = Columns(state: 13)
    let items = try (0..<2).map { _ in try columns.item(steps: 7) }
    let writer = client.writer(deltaEncoded: true)
    for item in items { try await writer.insert(item, table: "trajectories_4") }
    try await writer.close()
    let output = try await runPythonPeer(
      ["read", "--server", "\(server.address)", "--table", "trajectories_4", "--count", "2"])
    let read = try JSONDecoder().decode([[PeerColumn]].self, from: output)
    #expect(read == items.map { $0.map(PeerColumn.init) })
  }
}
#endif
