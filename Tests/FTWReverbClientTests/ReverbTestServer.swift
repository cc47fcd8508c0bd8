#if Distributed
import FTWReverb
import Foundation

/// A real Reverb server (dm-reverb, started by Scripts/reverb_server.py) for the tests, on a free
/// port of this machine. It checkpoints and stops when ``stop()`` is called or this process ends.
final class ReverbTestServer: Sendable {
  let address: ReverbAddress
  let checkpointDirectory: URL
  private let process: Process

  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The server the tests share: seven agents' tables (a test uses its own), queues of four
  /// trajectories.
  static let shared = Task { try await ReverbTestServer.start(agents: 7, queueSize: 4) }

  private init(address: ReverbAddress, checkpointDirectory: URL, process: Process) {
    self.address = address
    self.checkpointDirectory = checkpointDirectory
    self.process = process
  }

  /// Starts a server on `port` (0: a free one) whose checkpoints go to `checkpointDirectory` (a new
  /// folder when nil; an existing one is loaded) and waits until it serves.
  static func start(agents: Int, queueSize: Int, checkpointDirectory: URL? = nil, port: Int = 0) async throws
    -> ReverbTestServer
  {
    // The checkpoint folder holds only checkpoints (Reverb deletes anything else there); the
    // server's log goes beside it.
    let directory =
      checkpointDirectory
      ?? FileManager.default.temporaryDirectory.appendingPathComponent("ftw-reverb-\(UUID().uuidString)")
      .appendingPathComponent("checkpoints")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let log = directory.deletingLastPathComponent().appendingPathComponent("server-\(UUID().uuidString).log")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      python, repository.appendingPathComponent("Scripts/reverb_server.py").path, "--port", "\(port)",
      "--checkpoint-dir", directory.path, "--agents", "\(agents)", "--queue-size", "\(queueSize)",
      "--exit-with-parent",
    ]
    var environment = ProcessInfo.processInfo.environment
    environment["TF_CPP_MIN_LOG_LEVEL"] = "3"
    process.environment = environment
    let output = try FileHandle(forWritingTo: log)
    process.standardOutput = output
    process.standardError = output
    try process.run()
    // The server names its port on its first line of its own.
    for _ in 0..<1200 {
      let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
      if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("reverb server on port ") }),
        let port = line.split(separator: " ")[4].split(separator: ",").first
      {
        return ReverbTestServer(
          address: try ReverbAddress("localhost:\(port)"), checkpointDirectory: directory, process: process)
      }
      guard process.isRunning else { break }
      try await Task.sleep(for: .milliseconds(100))
    }
    process.terminate()
    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    throw ServerError(description: "the Reverb server did not start; its output:\n\(text)")
  }

  /// Checkpoints and stops the server, and waits until it has.
  func stop() async {
    process.terminate()
    while process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
  }

  /// Kills the server (SIGKILL: no checkpoint, no goodbye to its clients) and waits until it is gone.
  func kill() async {
    _ = Foundation.kill(process.processIdentifier, SIGKILL)
    while process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
  }

  struct ServerError: Error, CustomStringConvertible {
    let description: String
  }

  /// The Python that has dm-reverb (`FTW_PYTHON`, default python3).
  static var python: String { ProcessInfo.processInfo.environment["FTW_PYTHON"] ?? "python3" }
}

/// Runs Scripts/reverb_peer.py (Python's Reverb client) with `input` on its standard input, on a
/// thread of its own, and returns its standard output; throws when it fails.
func runPythonPeer(_ arguments: [String], input: Data = Data()) async throws -> Data {
  try await withCheckedThrowingContinuation { continuation in
    Thread.detachNewThread {
      do {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
          [
            ReverbTestServer.python,
            ReverbTestServer.repository.appendingPathComponent("Scripts/reverb_peer.py").path,
          ]
          + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TF_CPP_MIN_LOG_LEVEL"] = "3"
        process.environment = environment
        let errorLog = FileManager.default.temporaryDirectory.appendingPathComponent(
          "ftw-peer-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorLog) }
        let (stdin, stdout) = (Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: errorLog)
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
          throw ReverbTestServer.ServerError(
            description: "reverb_peer.py \(arguments.joined(separator: " ")) failed:\n"
              + ((try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""))
        }
        continuation.resume(returning: output)
      } catch {
        continuation.resume(throwing: error)
      }
    }
  }
}
#endif
