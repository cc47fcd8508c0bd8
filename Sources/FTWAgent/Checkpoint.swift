import FTWLayers
import FTWTensor
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The JSON half of a checkpoint: what the tensors are, where they came from, and how to check them.
public struct CheckpointManifest: Codable, Equatable, Sendable {
  /// The version this package writes and reads.
  public static let currentFormatVersion = 1

  public var formatVersion: Int
  /// Learner steps taken when the checkpoint was written.
  public var step: Int
  /// When it was written (ISO 8601).
  public var createdAt: String
  /// The model and learner configuration; a checkpoint only loads into the same one.
  public var configuration: [String: String]
  /// Random generator states by name, four words each, in decimal.
  public var generators: [String: [String]]
  /// Hyperparameter values by name.
  public var hyperparameters: [String: [Float]]
  /// The tensor file's name, byte count and FNV-1a-64 checksum (hex).
  public var tensorsFile: String
  public var tensorsBytes: Int
  public var tensorsChecksum: String
  /// Counts that go with the state, such as frames and games played (absent in older manifests).
  public var counters: [String: Int]?
}

/// A whole training state: tensors (parameters, optimiser slots) and the manifest.
public struct Checkpoint: Sendable {
  public var manifest: CheckpointManifest
  public var tensors: SafetensorsFile

  /// The generator saved under `name`.
  public func generator(_ name: String) throws -> RandomGenerator {
    guard let words = manifest.generators[name], words.count == 4 else {
      throw CheckpointError(file: manifest.tensorsFile, reason: "no state for generator '\(name)'")
    }
    let values = words.compactMap(UInt64.init)
    guard values.count == 4, values != [0, 0, 0, 0] else {
      throw CheckpointError(
        file: manifest.tensorsFile, reason: "generator '\(name)' has an invalid state \(words)")
    }
    return RandomGenerator(state: (values[0], values[1], values[2], values[3]))
  }

  /// The manifest form of a generator's state.
  public static func words(_ generator: RandomGenerator) -> [String] {
    let s = generator.state
    return [s.0, s.1, s.2, s.3].map { String($0) }
  }
}

/// Why a checkpoint could not be written or read; names the file.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
  public let file: String
  public let reason: String
  public var description: String { "checkpoint \(file): \(reason)" }
}

/// FNV-1a, 64 bits, as hex: a checksum that catches truncation and damage.
func fnv1a(_ data: Data) -> String {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  data.withUnsafeBytes { bytes in
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
  }
  return String(hash, radix: 16)
}

/// A folder of checkpoints, one subfolder per step (`step-000000042`), and a `latest` file naming
/// the newest complete one.
///
/// A save writes both files into a temporary folder, flushes them, renames the folder into place
/// and only then rewrites `latest` atomically; so a crash at any moment leaves `latest` naming a
/// complete checkpoint. Loading checks the format version, the tensor file's size and checksum, and
/// refuses anything damaged with a message naming the file.
///
/// ```swift
/// let store = CheckpointStore(url: URL(fileURLWithPath: "runs/ctf/checkpoints"))
/// try learner.save(to: store, configuration: config, generators: ["actor": g])
/// try learner.restore(from: store.loadLatest(), configuration: config)
/// ```
public struct CheckpointStore: Sendable {
  public let url: URL
  /// How many checkpoints to keep; older ones are removed after a save.
  public var keep: Int

  public init(url: URL, keep: Int = 3) {
    self.url = url
    self.keep = Swift.max(1, keep)
  }

  /// The largest count a manifest's counters may hold (2^53, exact as a double): a run resumed
  /// from a damaged one goes on counting without overflowing.
  public static let maximumCounter = 1 << 53
  static let tensorsFileName = "state.safetensors"
  static let manifestFileName = "manifest.json"
  static let latestFileName = "latest"

  static func folderName(step: Int) -> String { String(format: "step-%09d", step) }

  /// Where the manifest of `step`'s checkpoint is (or would be).
  public func manifestURL(step: Int) -> URL {
    url.appendingPathComponent(Self.folderName(step: step)).appendingPathComponent(Self.manifestFileName)
  }

  /// The steps with a checkpoint folder, ascending (complete or not).
  public func steps() -> [Int] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return names.compactMap { $0.hasPrefix("step-") ? Int($0.dropFirst(5)) : nil }.sorted()
  }

  /// Writes `tensors` and a manifest for them; returns the checkpoint's folder.
  @discardableResult
  public func save(
    tensors: SafetensorsFile, step: Int, configuration: [String: String], generators: [String: [String]],
    hyperparameters: [String: [Float]], counters: [String: Int] = [:]
  ) throws -> URL {
    let manager = FileManager.default
    do {
      try manager.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      throw CheckpointError(file: url.path, reason: "cannot create the folder: \(error.localizedDescription)")
    }
    let data = try tensors.serialized()
    let formatter = ISO8601DateFormatter()
    let manifest = CheckpointManifest(
      formatVersion: CheckpointManifest.currentFormatVersion, step: step,
      createdAt: formatter.string(from: Date()),
      configuration: configuration, generators: generators, hyperparameters: hyperparameters,
      tensorsFile: Self.tensorsFileName, tensorsBytes: data.count, tensorsChecksum: fnv1a(data),
      counters: counters)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let manifestData = try encoder.encode(manifest)

    let name = Self.folderName(step: step)
    let temporary = url.appendingPathComponent(
      ".\(name).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp")
    let final = url.appendingPathComponent(name)
    do {
      try manager.createDirectory(at: temporary, withIntermediateDirectories: false)
      try AtomicFile.write(data, to: temporary.appendingPathComponent(Self.tensorsFileName))
      try AtomicFile.write(manifestData, to: temporary.appendingPathComponent(Self.manifestFileName))
      if manager.fileExists(atPath: final.path) { try manager.removeItem(at: final) }
      guard rename(temporary.path, final.path) == 0 else {
        throw CheckpointError(
          file: final.path, reason: "cannot move into place: \(String(cString: strerror(errno)))")
      }
      syncFolder(url)
      try AtomicFile.write(Data(name.utf8), to: url.appendingPathComponent(Self.latestFileName))
    } catch {
      try? manager.removeItem(at: temporary)
      if let error = error as? CheckpointError { throw error }
      throw CheckpointError(file: final.path, reason: "\(error)")
    }
    for old in steps().filter({ $0 != step }).dropLast(keep - 1) {
      try? manager.removeItem(at: url.appendingPathComponent(Self.folderName(step: old)))
    }
    return final
  }

  /// The checkpoint `latest` names.
  public func loadLatest() throws -> Checkpoint {
    let pointer = url.appendingPathComponent(Self.latestFileName)
    guard let data = FileManager.default.contents(atPath: pointer.path) else {
      throw CheckpointError(file: pointer.path, reason: "no checkpoint here (the 'latest' file is missing)")
    }
    let name = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard name.hasPrefix("step-"), let step = Int(name.dropFirst(5)) else {
      throw CheckpointError(file: pointer.path, reason: "names '\(name)', not a checkpoint folder")
    }
    return try load(step: step)
  }

  /// The newest checkpoint that loads, and why each newer one was refused (damaged, truncated,
  /// half-written): a run resumes from its last good state.
  ///
  /// - Throws: ``CheckpointError`` when no checkpoint loads; it lists every refusal.
  public func loadNewestValid() throws -> (checkpoint: Checkpoint, refused: [CheckpointError]) {
    var refused: [CheckpointError] = []
    for step in steps().reversed() {
      do {
        return (try load(step: step), refused)
      } catch let error as CheckpointError {
        refused.append(error)
      }
    }
    let reasons = refused.map(\.description).joined(separator: "; ")
    throw CheckpointError(
      file: url.path, reason: refused.isEmpty ? "no checkpoint here" : "none loads: \(reasons)")
  }

  /// The checkpoint of `step`, checked.
  public func load(step: Int) throws -> Checkpoint {
    let manifestURL = manifestURL(step: step)
    let folder = manifestURL.deletingLastPathComponent()
    guard let manifestData = FileManager.default.contents(atPath: manifestURL.path) else {
      throw CheckpointError(file: manifestURL.path, reason: "missing")
    }
    let manifest: CheckpointManifest
    do {
      manifest = try JSONDecoder().decode(CheckpointManifest.self, from: manifestData)
    } catch {
      throw CheckpointError(file: manifestURL.path, reason: "not a valid manifest: \(error)")
    }
    guard manifest.formatVersion == CheckpointManifest.currentFormatVersion else {
      throw CheckpointError(
        file: manifestURL.path,
        reason:
          "format version \(manifest.formatVersion); this build reads \(CheckpointManifest.currentFormatVersion)"
      )
    }
    if let (name, value) = manifest.counters?.first(where: { !(0...Self.maximumCounter).contains($0.value) })
    {
      throw CheckpointError(
        file: manifestURL.path, reason: "counter \(name) is \(value), not in 0...\(Self.maximumCounter)")
    }
    guard manifest.step == step, manifest.tensorsFile == Self.tensorsFileName else {
      throw CheckpointError(
        file: manifestURL.path, reason: "describes step \(manifest.step), file \(manifest.tensorsFile)")
    }
    let tensorsURL = folder.appendingPathComponent(Self.tensorsFileName)
    guard let data = FileManager.default.contents(atPath: tensorsURL.path) else {
      throw CheckpointError(file: tensorsURL.path, reason: "missing")
    }
    guard data.count == manifest.tensorsBytes else {
      throw CheckpointError(
        file: tensorsURL.path,
        reason: "truncated or damaged: \(data.count) bytes, the manifest says \(manifest.tensorsBytes)")
    }
    guard fnv1a(data) == manifest.tensorsChecksum else {
      throw CheckpointError(
        file: tensorsURL.path, reason: "damaged: its checksum does not match the manifest's")
    }
    return Checkpoint(manifest: manifest, tensors: try SafetensorsFile(data: data, name: tensorsURL.path))
  }
}

/// Flushes a folder's entries (a rename) to disk.
private func syncFolder(_ url: URL) {
  let descriptor = open(url.path, O_RDONLY)
  guard descriptor >= 0 else { return }
  fsync(descriptor)
  close(descriptor)
}
