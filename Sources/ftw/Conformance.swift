import ArgumentParser
import FTWConformance
import Foundation

/// `ftw conformance DIR`: runs the reference's conformance cases.
struct Conformance: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run every *.safetensors conformance case in a folder (and its subfolders with --recursive).",
    discussion: """
      Prints one line per case (name, kind, worst output error, worst gradient error, PASS or \
      FAIL and why), then 'N passed, N failed'. Exits 1 when a case fails.
      """)

  @Argument(help: "The folder holding the cases.")
  var directory: String

  @Flag(help: "Also run the cases in the folder's subfolders, named by their path from it.")
  var recursive = false

  @Option(help: "Run only the cases whose file name contains this text.")
  var filter: String?

  func run() throws {
    let runner = ConformanceRunner()
    let url = URL(fileURLWithPath: directory)
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
      throw fail("\(directory) is not a folder")
    }
    let results: [ConformanceResult]
    do {
      results = try runner.run(directory: url, filter: filter, recursive: recursive) { print($0.line) }
    } catch {
      throw fail("\(error)")
    }
    let failed = results.filter { !$0.passed }.count
    print("\(results.count - failed) passed, \(failed) failed")
    if results.isEmpty {
      throw fail(
        "no *.safetensors case in \(directory)\(recursive ? " or its subfolders" : "")\(filter.map { " matching '\($0)'" } ?? "")"
      )
    }
    if failed > 0 { throw ExitCode(1) }
  }
}
