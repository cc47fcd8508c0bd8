import Dispatch
import Synchronization

/// Wall time, call counts and floating-point work of every matrix product and convolution the
/// kernels run while ``collect(_:)`` runs a body: which kernel and precision each product used and
/// how close to the machine's limit it came (`ftw bench ftw --profile`). Off otherwise, at the
/// cost of reading one task-local value per product.
///
/// ```swift
/// let (_, entries) = KernelProfile.collect { _ = network.unroll(inputs, state) }
/// for entry in entries { print(entry.operation, entry.kernel, entry.gflops) }
/// ```
public enum KernelProfile {
  /// The products of one kind, shape, kernel and precision.
  public struct Entry: Sendable {
    /// What was computed and its shape, e.g. `gemm 160x256x7744` or `conv forward 3x3/1 64->64
    /// (160 images)`.
    public let operation: String
    /// The kernel that ran it, e.g. `blocked avx512 14x32`.
    public let kernel: String
    /// The precision its products multiplied in.
    public let precision: Precision
    /// Calls of this product.
    public internal(set) var calls = 0
    /// Their wall time.
    public internal(set) var seconds = 0.0
    /// Their floating-point operations (two per multiply-add).
    public internal(set) var flops = 0.0

    /// GFLOP/s over all the calls.
    public var gflops: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
  }

  /// Where the products of a ``collect(_:)`` body go.
  private final class Recorder: Sendable {
    let entries = Mutex<[String: Entry]>([:])
  }

  /// The recorder of the innermost ``collect(_:)`` running on this task or thread.
  @TaskLocal private static var recorder: Recorder?

  /// Runs `body` and returns what it returned with the products it started on this task or thread
  /// (their parts may run on the ``WorkerPool``'s threads), the most time first. Products other
  /// threads start meanwhile are not recorded.
  public static func collect<T>(_ body: () throws -> T) rethrows -> (T, [Entry]) {
    let sink = Recorder()
    let value = try $recorder.withValue(sink, operation: body)
    return (value, sink.entries.withLock { Array($0.values) }.sorted { $0.seconds > $1.seconds })
  }

  /// The start of a product's timing: a time stamp while collecting, else 0.
  @inline(__always)
  static func begin() -> UInt64 {
    recorder == nil ? 0 : DispatchTime.now().uptimeNanoseconds
  }

  /// Records a product begun at `start` (nothing when `start` is 0).
  @inline(__always)
  static func end(
    _ start: UInt64, _ operation: @autoclosure () -> String, kernel: @autoclosure () -> String,
    precision: Precision, multiplyAdds: Int
  ) {
    guard start != 0, let recorder else { return }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let (name, kernelName) = (operation(), kernel())
    let key = "\(name)|\(kernelName)|\(precision)"
    recorder.entries.withLock { table in
      var entry = table[key] ?? Entry(operation: name, kernel: kernelName, precision: precision)
      entry.calls += 1
      entry.seconds += seconds
      entry.flops += 2 * Double(multiplyAdds)
      table[key] = entry
    }
  }
}
