import FTWReverb
import Foundation

extension FuzzTarget {
  /// One chunk tensor as the learner decompresses it, of any type, delta encoding and shape a
  /// tensor proto can state (``ChunkTensorInput``). What decompresses compresses back to the
  /// same tensor.
  static let chunkTensors = FuzzTarget(
    name: "chunk-tensors", summary: "Reverb chunk tensors: dtype, shape, Snappy and delta encoding"
  ) { data in
    guard let input = ChunkTensorInput([UInt8](data)),
      let tensor = try? TensorCompression.decompress(
        input.content, dataType: input.dataType, shape: input.shape, deltaEncoded: input.deltaEncoded)
    else { return }
    let again = try? TensorCompression.decompress(
      TensorCompression.compress(tensor, deltaEncoded: input.deltaEncoded), dataType: input.dataType,
      shape: input.shape, deltaEncoded: input.deltaEncoded)
    require(
      again?.bytes == tensor.bytes,
      "a \(input.dataType) tensor of shape \(input.shape) does not survive compression")
  }
}

/// The chunk-tensors target's input: a byte whose low bits pick the type (an index into
/// `ReverbTensor.DataType.allCases`) and whose high bit asks for delta encoding, a byte of rank
/// (0 to 5), two bytes (big-endian) per size, then the compressed content.
///
/// ```swift
/// let input = ChunkTensorInput(dataType: .uint8, deltaEncoded: true, shape: [3, 2], content: compressed)
/// ChunkTensorInput(input.bytes) == input  // true
/// ```
struct ChunkTensorInput: Equatable {
  var dataType: ReverbTensor.DataType
  var deltaEncoded: Bool
  var shape: [Int]
  var content: [UInt8]

  init(dataType: ReverbTensor.DataType, deltaEncoded: Bool, shape: [Int], content: [UInt8]) {
    (self.dataType, self.deltaEncoded, self.shape, self.content) = (dataType, deltaEncoded, shape, content)
  }

  init?(_ bytes: [UInt8]) {
    guard bytes.count >= 2 else { return nil }
    let types = ReverbTensor.DataType.allCases
    let rank = Int(bytes[1]) % 6
    guard bytes.count >= 2 + 2 * rank else { return nil }
    dataType = types[Int(bytes[0] & 0x7f) % types.count]
    deltaEncoded = bytes[0] & 0x80 != 0
    shape = (0..<rank).map { Int(bytes[2 + 2 * $0]) << 8 | Int(bytes[3 + 2 * $0]) }
    content = Array(bytes[(2 + 2 * rank)...])
  }

  var bytes: [UInt8] {
    let type = UInt8(ReverbTensor.DataType.allCases.firstIndex(of: dataType)!) | (deltaEncoded ? 0x80 : 0)
    return [type, UInt8(shape.count)] + shape.flatMap { [UInt8($0 >> 8 & 0xff), UInt8($0 & 0xff)] } + content
  }
}
