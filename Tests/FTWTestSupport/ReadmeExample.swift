import Foundation

/// Whether the repository's README shows, as a Swift code block, exactly the lines of the test
/// file `filePath` between its `// README example begin` and `// README example end` markers
/// (less their indentation).
public func readmeShowsExample(of filePath: String) throws -> Bool {
  let here = URL(fileURLWithPath: filePath)
  let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
  let lines = try String(contentsOf: here, encoding: .utf8).components(separatedBy: "\n")
  guard let begin = lines.firstIndex(where: { $0.hasSuffix("// README example begin") }),
    let end = lines.firstIndex(where: { $0.hasSuffix("// README example end") }), begin < end
  else { return false }
  let indentation = lines[begin].prefix { $0 == " " }.count
  let example = lines[(begin + 1)..<end].map { $0.isEmpty ? $0 : String($0.dropFirst(indentation)) }
  return readme.contains("```swift\n" + example.joined(separator: "\n") + "\n```")
}
