/// A 64-byte aligned, immutable-once-published block of `Float` values shared by tensors.
///
/// Ops write a storage only while they create it; afterwards it is read-only, which is what lets
/// tensors share it freely (copy-on-write without the copies).
final class TensorStorage: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Float>
  let count: Int

  init(count: Int) {
    self.count = count
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: Swift.max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
    pointer = raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
  }

  deinit {
    UnsafeMutableRawPointer(pointer).deallocate()
  }

  var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: pointer, count: count) }
  var mutableBuffer: UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(start: pointer, count: count)
  }
}
