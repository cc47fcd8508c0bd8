#if Distributed
import FTWReverb
import Foundation

extension Tensorflow_TensorProto {
  /// `tensor` as Reverb sends a chunk tensor: dtype, shape, and the Snappy-compressed (and, for
  /// integer tensors of two or more dimensions when asked, delta-encoded) bytes.
  init(compressing tensor: ReverbTensor, deltaEncoded: Bool) {
    self.init()
    dtype = Tensorflow_DataType(rawValue: tensor.dataType.rawValue) ?? .dtInvalid
    tensorShape.dim = tensor.shape.map { size in
      var dimension = Tensorflow_TensorShapeProto.Dim()
      dimension.size = Int64(size)
      return dimension
    }
    tensorContent = Data(TensorCompression.compress(tensor, deltaEncoded: deltaEncoded))
  }

  /// The tensor this chunk tensor holds; throws on an element type the client does not read, a
  /// negative or oversized shape, or content that does not decompress to the shape's bytes.
  func decompressed(deltaEncoded: Bool) throws -> ReverbTensor {
    guard let dataType = ReverbTensor.DataType(rawValue: dtype.rawValue) else {
      throw ReverbError.protocolViolation(
        "a chunk tensor of TensorFlow type \(dtype), which the client does not read")
    }
    guard !tensorShape.unknownRank, tensorShape.dim.count <= 32,
      tensorShape.dim.allSatisfy({ (0...Int64(Int32.max)).contains($0.size) })
    else {
      throw ReverbError.protocolViolation("a chunk tensor of shape \(tensorShape.dim.map(\.size))")
    }
    return try TensorCompression.decompress(
      [UInt8](tensorContent), dataType: dataType, shape: tensorShape.dim.map { Int($0.size) },
      deltaEncoded: deltaEncoded)
  }
}
#endif
