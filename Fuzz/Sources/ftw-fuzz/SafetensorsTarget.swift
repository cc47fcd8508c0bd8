import FTWLayers
import Foundation

extension FuzzTarget {
  /// A safetensors file: the header, every tensor's bytes, and a file that loads writes itself
  /// back to one that loads alike.
  static let safetensors = FuzzTarget(
    name: "safetensors", summary: "safetensors files: the JSON header and the tensors' bytes"
  ) { data in
    guard let file = try? SafetensorsFile(data: data, name: "fuzz") else { return }
    for key in file.keys {
      _ = try? file.tensor(key)
      _ = try? file.indices(key)
    }
    guard let written = try? file.serialized() else { return }
    guard let again = try? SafetensorsFile(data: written, name: "again") else {
      fatalError("a file that loaded wrote bytes that do not load")
    }
    require(again.keys == file.keys, "the written file has keys \(again.keys), not \(file.keys)")
    require(again.metadata == file.metadata, "the written file has other metadata")
  }
}
