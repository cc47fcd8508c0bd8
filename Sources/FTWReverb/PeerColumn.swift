/// A tensor as `Scripts/reverb_peer.py` (Python's Reverb client) reads and prints a column:
/// numpy's name of the element type, the shape, and the elements' little-endian bytes in hex.
///
/// ```swift
/// let column = PeerColumn(try ReverbTensor([1, 2] as [Int32], shape: [1, 2]))
/// // {"dtype": "int32", "shape": [1, 2], "hex": "0100000002000000"}
/// ```
public struct PeerColumn: Codable, Equatable, Sendable {
  public var dtype: String
  public var shape: [Int]
  public var hex: String

  public init(_ tensor: ReverbTensor) {
    dtype = "\(tensor.dataType)"
    shape = tensor.shape
    hex = String(tensor.bytes.flatMap { [Self.digits[Int($0 >> 4)], Self.digits[Int($0 & 15)]] })
  }

  private static let digits = Array("0123456789abcdef")
}
