/// Reverb's delta encoding of a chunk's integer tensors, which makes slowly changing data (frames
/// of a game, counters) compress well: the tensor is seen as rows along its first (time) axis,
/// and every row after the first is replaced by its difference from the row before, in wrapping
/// arithmetic of the element's width. Tensors of fewer than two dimensions and floating-point
/// tensors are left as they are; a chunk records whether it was encoded.
///
/// ```swift
/// var frames: [UInt8] = [10, 20, 11, 22, 12, 24]   // shape [3, 2]
/// DeltaEncoding.encode(&frames, rowLength: 2)      // [10, 20, 1, 2, 1, 2]
/// DeltaEncoding.decode(&frames, rowLength: 2)      // back to the frames
/// ```
public enum DeltaEncoding {
  /// Replaces each row of `rowLength` elements after the first by its difference from the
  /// previous row. `values.count` must be a multiple of `rowLength`.
  public static func encode<Element: FixedWidthInteger>(_ values: inout [Element], rowLength: Int) {
    values.withUnsafeMutableBufferPointer { encode($0, rowLength: rowLength) }
  }

  /// Undoes `encode(_:rowLength:)`.
  public static func decode<Element: FixedWidthInteger>(_ values: inout [Element], rowLength: Int) {
    values.withUnsafeMutableBufferPointer { decode($0, rowLength: rowLength) }
  }

  /// `encode(_:rowLength:)` in place on a buffer.
  public static func encode<Element: FixedWidthInteger>(
    _ buffer: UnsafeMutableBufferPointer<Element>, rowLength: Int
  ) {
    precondition(
      rowLength > 0 && buffer.count % rowLength == 0, "rows of \(rowLength) do not tile \(buffer.count)")
    // Backwards, so that each row still sees the original row before it.
    var index = buffer.count - 1
    while index >= rowLength {
      buffer[index] = buffer[index] &- buffer[index - rowLength]
      index -= 1
    }
  }

  /// `decode(_:rowLength:)` in place on a buffer.
  public static func decode<Element: FixedWidthInteger>(
    _ buffer: UnsafeMutableBufferPointer<Element>, rowLength: Int
  ) {
    precondition(
      rowLength > 0 && buffer.count % rowLength == 0, "rows of \(rowLength) do not tile \(buffer.count)")
    for index in rowLength..<max(buffer.count, rowLength) {
      buffer[index] = buffer[index] &+ buffer[index - rowLength]
    }
  }
}
