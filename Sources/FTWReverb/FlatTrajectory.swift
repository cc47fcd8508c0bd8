/// Where an item's data lives, as Reverb records it: each column of the item is a run of slices
/// of chunk tensors, rows `offset..<offset + length` of tensor `index` of a chunk, joined along
/// time. A squeezed column is one row with its time axis dropped.
///
/// ```swift
/// // Steps 5..<20 of tensor 0 of a chunk, then the first 5 steps of tensor 0 of the next one.
/// let layout = FlatTrajectory(columns: [
///   .init(slices: [.init(chunkKey: first, offset: 5, length: 15, index: 0),
///                  .init(chunkKey: second, offset: 0, length: 5, index: 0)])])
/// let columns = try layout.assemble(chunks: [first: firstTensors, second: secondTensors])
/// ```
public struct FlatTrajectory: Equatable, Sendable {
  /// Rows of one tensor of one chunk.
  public struct Slice: Equatable, Sendable {
    public var chunkKey: UInt64
    public var offset: Int
    public var length: Int
    public var index: Int

    public init(chunkKey: UInt64, offset: Int, length: Int, index: Int) {
      self.chunkKey = chunkKey
      self.offset = offset
      self.length = length
      self.index = index
    }
  }

  /// One column: slices joined along time, squeezed when it is a single step.
  public struct Column: Equatable, Sendable {
    public var slices: [Slice]
    public var squeeze: Bool

    public init(slices: [Slice], squeeze: Bool = false) {
      self.slices = slices
      self.squeeze = squeeze
    }
  }

  public var columns: [Column]

  public init(columns: [Column]) {
    self.columns = columns
  }

  /// The keys of the chunks the item refers to, each once, in order of first use.
  public var chunkKeys: [UInt64] {
    var seen = Set<UInt64>()
    return columns.flatMap(\.slices).map(\.chunkKey).filter { seen.insert($0).inserted }
  }

  /// The item's columns, cut from `chunks` (each chunk's tensors by key); throws when a chunk,
  /// a tensor or a row range is missing, or when a squeezed column is not one step.
  public func assemble(chunks: [UInt64: [ReverbTensor]]) throws -> [ReverbTensor] {
    try columns.map { column in
      let parts = try column.slices.map { slice in
        guard let tensors = chunks[slice.chunkKey] else {
          throw ReverbTensor.ShapeError("the item refers to chunk \(slice.chunkKey), which was not sent")
        }
        guard tensors.indices.contains(slice.index), slice.length >= 0 else {
          throw ReverbTensor.ShapeError(
            "chunk \(slice.chunkKey) has \(tensors.count) tensors; the item asks for \(slice.index)")
        }
        return try tensors[slice.index].rows(slice.offset..<(slice.offset + slice.length))
      }
      let joined = try ReverbTensor.concatenating(parts)
      guard column.squeeze else { return joined }
      guard joined.shape.first == 1 else {
        throw ReverbTensor.ShapeError("a squeezed column of \(joined.shape.first ?? 0) steps")
      }
      return try ReverbTensor(
        dataType: joined.dataType, shape: Array(joined.shape.dropFirst()), bytes: joined.bytes)
    }
  }
}
