import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that a crash at any moment leaves either the old file or the new one, whole.
///
/// ```swift
/// try AtomicFile.write(Data("done".utf8), to: URL(fileURLWithPath: "runs/a/latest"))
/// ```
public enum AtomicFile {
  /// Writes `data` to a temporary file in `url`'s folder, flushes it to disk, renames it over
  /// `url`, and flushes the folder.
  ///
  /// - Throws: ``AtomicFileError`` naming `url` and the step that failed; the temporary file is
  ///   removed and `url` is left as it was.
  public static func write(_ data: Data, to url: URL) throws {
    let folder = url.deletingLastPathComponent()
    let temporary = folder.appendingPathComponent(
      ".\(url.lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp")
    func fail(_ what: String) -> AtomicFileError {
      AtomicFileError(file: url.path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
    let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard descriptor >= 0 else { throw fail("cannot create \(temporary.lastPathComponent)") }
    var closed = false
    defer {
      if !closed { close(descriptor) }
    }
    let written = data.withUnsafeBytes { raw -> Bool in
      var offset = 0
      while offset < raw.count {
        let n = systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += n
      }
      return true
    }
    guard written, fsync(descriptor) == 0 else {
      let error = fail("cannot write")
      unlink(temporary.path)
      throw error
    }
    close(descriptor)
    closed = true
    guard rename(temporary.path, url.path) == 0 else {
      let error = fail("cannot rename into place")
      unlink(temporary.path)
      throw error
    }
    let folderDescriptor = open(folder.path, O_RDONLY)
    if folderDescriptor >= 0 {
      fsync(folderDescriptor)
      close(folderDescriptor)
    }
  }
}

/// Why a file could not be written: the file and the step that failed, with the system's reason.
public struct AtomicFileError: Error, CustomStringConvertible, Equatable {
  /// The file that could not be written.
  public let file: String
  /// The step that failed and the system's reason.
  public let reason: String

  public var description: String { "\(file): cannot write: \(reason)" }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
