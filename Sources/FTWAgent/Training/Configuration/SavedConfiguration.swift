import Foundation

/// A configuration saved in a run folder, which can check its own values.
protocol SavedConfiguration: Decodable {
  func validate() throws
}

extension TrainingConfiguration: SavedConfiguration {}
extension PopulationConfiguration: SavedConfiguration {}

/// The `Kind` saved at `file`, decoded and validated; a missing file is "not a `folderKind`: it has
/// no `file`", a damaged one "not a valid `what`" with the reason.
func readSaved<Kind: SavedConfiguration>(
  _ kind: Kind.Type, from file: URL, in folder: URL, folderKind: String, what: String
) throws -> Kind {
  guard let data = FileManager.default.contents(atPath: file.path) else {
    throw TrainingError("\(folder.path) is not a \(folderKind): it has no \(file.lastPathComponent)")
  }
  do {
    let value = try JSONDecoder().decode(kind, from: data)
    try value.validate()
    return value
  } catch {
    throw TrainingError("\(file.path) is not a valid \(what): \(error)")
  }
}
