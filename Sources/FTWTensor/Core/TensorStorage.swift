import Synchronization

/// A layout of a storage's values that a kernel reads instead of the row-major one, made once and
/// kept with the storage (``TensorStorage/form(_:count:make:)``).
enum StorageForm: Hashable {
  /// A `[k, n]` matrix in column strips of 16 for the small-M kernel (`ftw_skinny_pack`).
  case skinnyStrips(k: Int, n: Int)
  /// The same as pairs of bfloat16 values (`ftw_skinny_pack_bf16`).
  case skinnyStripsBF16(k: Int, n: Int)
  /// A filter of `shape` packed for a convolution's forward product, or `transposed` for its input
  /// gradient, in single precision or in bfloat16 pairs (`ftw_conv_pack_filter`,
  /// `ftw_conv_pack_filter_bf16`).
  case convolutionFilter(shape: [Int], transposed: Bool, bf16: Bool)
  /// A convolution's input in its space-to-depth blocks (``SpaceToDepth``).
  case spaceToDepth(inputShape: [Int], filterShape: [Int], padTop: Int, padLeft: Int)
  /// A filter rearranged for its convolution's space-to-depth form.
  case spaceToDepthFilter(shape: [Int], strides: [Int])
  /// The values rounded to bfloat16, two to a float (`ftw_bf16_round`).
  case bfloat16
}

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
  /// The storage's values in the layouts kernels asked for, and how often each was asked for:
  /// the values never change, so neither do the forms, and they go when the storage goes.
  private let forms = Mutex<(made: [StorageForm: TensorStorage], asked: [StorageForm: Int])>(([:], [:]))

  init(count: Int) {
    self.count = count
    byteCount = StoragePool.roundedSize(Swift.max(count, 1) * MemoryLayout<Float>.stride)
    pointer = StoragePool.shared.allocate(byteCount: byteCount).bindMemory(
      to: Float.self, capacity: Swift.max(count, 1))
  }

  deinit {
    StoragePool.shared.release(UnsafeMutableRawPointer(pointer), byteCount: byteCount)
  }

  /// The storage's values in `form`, `count` floats that `make` writes on the first call, and
  /// kept (under a lock, so that threads sharing the storage make it once).
  func form(_ form: StorageForm, count: Int, make: (UnsafeMutablePointer<Float>) -> Void) -> TensorStorage {
    self.form(form, count: count, afterUses: 1, make: make)!
  }

  /// The storage's values in `form` as ``form(_:count:make:)`` makes them, but only from the
  /// `uses`-th call for this form on; `nil` on the calls before. For a form whose making costs a
  /// few products' worth: it waits until the storage has shown that it is read again and again.
  func form(
    _ form: StorageForm, count: Int, afterUses uses: Int, make: (UnsafeMutablePointer<Float>) -> Void
  ) -> TensorStorage? {
    forms.withLock { forms in
      if let made = forms.made[form] { return made }
      let asked = (forms.asked[form] ?? 0) + 1
      guard asked >= uses else {
        forms.asked[form] = asked
        return nil
      }
      let made = TensorStorage(count: count)
      make(made.pointer)
      forms.made[form] = made
      return made
    }
  }

  var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: pointer, count: count) }
  var mutableBuffer: UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(start: pointer, count: count)
  }
}
