import FTWEnvironments
import Foundation

extension CaptureTheFlagConfiguration.ArenaChoice {
  /// What `--arena` accepts, for help texts and errors.
  static let help =
    "tiny, small, medium or large (a new generated arena each game), a named layout ("
    + Arena.layoutNames.joined(separator: ", ")
    + ") or the path of a layout file (# wall, . floor, A and B bases)"

  /// Reads an `--arena` value: a generated size, a named layout or a layout file.
  init(argument: String) throws {
    if let size = ArenaSize(rawValue: argument) {
      self = .generated(size)
    } else if Arena.layoutNames.contains(argument) {
      self = .fixed(try Arena.named(argument))
    } else if FileManager.default.fileExists(atPath: argument) {
      let url = URL(fileURLWithPath: argument)
      let size = (try? FileManager.default.attributesOfItem(atPath: argument)[.size] as? Int) ?? 0
      guard size <= 1 << 16 else { throw fail("layout file \(argument) is larger than 64 KiB") }
      let data: Data
      do {
        data = try Data(contentsOf: url)
      } catch {
        throw fail("cannot read layout file \(argument): \(error.localizedDescription)")
      }
      guard let text = String(data: data, encoding: .utf8) else {
        throw fail("layout file \(argument) is not UTF-8 text")
      }
      do {
        self = .fixed(try Arena(layout: text, name: url.lastPathComponent))
      } catch {
        throw fail("\(argument): \(error)")
      }
    } else {
      throw fail("--arena must be \(Self.help); got '\(argument)', which is none of these")
    }
  }
}
