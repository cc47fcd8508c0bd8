import Foundation

/// The training runs under a folder, as `ftw serve --runs DIR` offers them: every run folder
/// (one holding `configuration.json`) up to three levels down, so a population's members
/// (`pop/members/0`) are runs too. A run is named by its path under the folder; only names the
/// catalog listed are ever opened, so a request cannot reach outside the folder.
///
/// ```swift
/// let catalog = RunCatalog(folder: URL(fileURLWithPath: "runs"))
/// for run in catalog.runs() where run.hasCheckpoint { print(run.name) }
/// ```
public struct RunCatalog: Sendable {
  /// One run folder.
  public struct Run: Codable, Sendable, Equatable {
    /// Its path under the catalog's folder.
    public var name: String
    /// Whether it has a checkpoint an agent can be loaded from.
    public var hasCheckpoint: Bool
    /// Whether it is a population (its curves are the members' ratings).
    public var isPopulation: Bool
  }

  /// The folder searched.
  public let folder: URL
  /// The most runs listed.
  public static let limit = 500

  public init(folder: URL) { self.folder = folder }

  /// The runs, sorted by name.
  public func runs() -> [Run] {
    var found: [Run] = []
    func search(_ url: URL, name: String, depth: Int) {
      guard found.count < Self.limit else { return }
      let manager = FileManager.default
      if !name.isEmpty, manager.fileExists(atPath: url.appendingPathComponent("configuration.json").path) {
        found.append(
          Run(
            name: name,
            hasCheckpoint: !CheckpointStore(url: url.appendingPathComponent("checkpoints")).steps().isEmpty,
            isPopulation: PopulationRun.isPopulation(at: url)))
      }
      guard depth < 3, let children = try? manager.contentsOfDirectory(atPath: url.path) else { return }
      for child in children.sorted() where !child.hasPrefix(".") {
        var isFolder: ObjCBool = false
        let next = url.appendingPathComponent(child)
        guard manager.fileExists(atPath: next.path, isDirectory: &isFolder), isFolder.boolValue,
          child != "checkpoints"
        else { continue }
        search(next, name: name.isEmpty ? child : name + "/" + child, depth: depth + 1)
      }
    }
    search(folder, name: "", depth: 0)
    return found
  }

  /// The folder of the run named `name`; throws a ``TrainingError`` unless the catalog lists it.
  public func url(of name: String) throws -> URL {
    try require(
      runs().contains { $0.name == name }, "no run is named '\(name)' under \(folder.path)")
    return folder.appendingPathComponent(name)
  }
}
