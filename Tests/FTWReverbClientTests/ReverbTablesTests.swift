#if Distributed
import FTWReverb
import FTWReverbClient
import Foundation
import Testing

/// The server script and the Swift side name the same tables.
@Suite struct ReverbTablesTests {
  @Test func theServerMakesTheTablesSwiftNames() async throws {
    let server = try await ReverbTestServer.start(agents: 3, queueSize: 2)
    defer { Task { await server.stop() } }
    let client = try await ReverbClient.connect(to: server.address)
    defer { client.close() }
    let names = Set(try await client.serverInfo().map(\.name))
    #expect(names == Set(ReverbTables.all(members: 3)))
    #expect(Set(ReverbTables.required(members: 3)).isSubset(of: names))
  }

  @Test func theScriptListsTheTablesInSwiftsOrder() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      ReverbTestServer.python,
      ReverbTestServer.repository.appendingPathComponent("Scripts/reverb_server.py").path,
      "--list-tables", "--agents", "2",
    ]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(text.split(separator: "\n").map(String.init) == ReverbTables.all(members: 2))
  }
}
#endif
