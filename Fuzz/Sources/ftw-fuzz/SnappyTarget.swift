import FTWReverb
import Foundation

extension FuzzTarget {
  /// A Snappy stream as Reverb's chunks hold one: what decompresses compresses back to a stream
  /// that decompresses to the same bytes.
  static let snappy = FuzzTarget(
    name: "snappy", summary: "Snappy streams (a Reverb chunk tensor's content)"
  ) { data in
    let bytes = [UInt8](data)
    guard let raw = try? Snappy.decompress(bytes, maximumLength: 1 << 20) else { return }
    let again = try? Snappy.decompress(Snappy.compress(raw), maximumLength: raw.count)
    require(again == raw, "\(raw.count) bytes do not survive compression")
  }
}
