/// A 64-byte aligned block of `Float` values shared by tensors.
///
/// Ops write a storage only while they create it; afterwards it is read-only, which is what lets
/// tensors share it freely (copy-on-write without the copies). The one exception is a cotangent
/// sum that the backward pass creates and then adds further contributions into: no one else holds
/// it until the pass hands it on (see ``gradients(of:cotangents:withRespectTo:)``).
final class TensorStorage: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Float>
  let count: Int
  private let byteCount: Int

  init(count: Int) {
    self.count = count
    byteCount = StoragePool.roundedSize(Swift.max(count, 1) * MemoryLayout<Float>.stride)
    pointer = StoragePool.shared.allocate(byteCount: byteCount).bindMemory(
      to: Float.self, capacity: Swift.max(count, 1))
  }

  deinit {
    StoragePool.shared.release(UnsafeMutableRawPointer(pointer), byteCount: byteCount)
  }

  var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: pointer, count: count) }
  var mutableBuffer: UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(start: pointer, count: count)
  }
}
