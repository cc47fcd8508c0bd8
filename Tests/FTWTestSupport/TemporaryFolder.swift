import Foundation

/// Runs `body` with a fresh empty folder under the system's temporary directory and removes the
/// folder and everything in it afterwards, whether `body` returns or throws.
public func withTemporaryFolder<Result>(_ body: (URL) throws -> Result) throws -> Result {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("ftw-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: url) }
  return try body(url)
}
