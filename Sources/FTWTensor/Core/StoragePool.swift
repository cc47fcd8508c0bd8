import Foundation

/// Keeps freed tensor blocks of 64 KiB and more, by size, for the next tensor of the same size.
///
/// A training step allocates and frees the same large blocks (activations and their gradients)
/// at every step. Returned to the system each time, every touched page of them costs a
/// page fault and a kernel memset; kept here, they are reused as they are. At most
/// ``byteLimit`` bytes are kept; beyond that blocks go back to the system.
final class StoragePool: @unchecked Sendable {
  static let shared = StoragePool()
  /// Blocks smaller than this come from and go back to `malloc` directly.
  static let minimumPooledBytes = 64 << 10
  /// The most bytes kept for reuse.
  let byteLimit = 2 << 30

  private let lock = NSLock()
  private var free: [Int: [UnsafeMutableRawPointer]] = [:]
  private var keptBytes = 0

  /// `bytes` rounded up to a multiple of 4 KiB for pooled sizes (64 bytes otherwise), so that
  /// nearly equal sizes share blocks.
  static func roundedSize(_ bytes: Int) -> Int {
    bytes >= minimumPooledBytes ? (bytes + 4095) & ~4095 : (bytes + 63) & ~63
  }

  func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
    if byteCount >= Self.minimumPooledBytes {
      lock.lock()
      if let block = free[byteCount]?.popLast() {
        keptBytes -= byteCount
        lock.unlock()
        return block
      }
      lock.unlock()
    }
    return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
  }

  func release(_ block: UnsafeMutableRawPointer, byteCount: Int) {
    if byteCount >= Self.minimumPooledBytes {
      lock.lock()
      if keptBytes + byteCount <= byteLimit {
        free[byteCount, default: []].append(block)
        keptBytes += byteCount
        lock.unlock()
        return
      }
      lock.unlock()
    }
    block.deallocate()
  }
}
