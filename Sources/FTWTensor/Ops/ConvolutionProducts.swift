import CFTWKernels

/// The three products of a convolution on the C kernels (Convolution.c, ConvolutionBF16.c), in
/// single precision in the build for an instruction set, or in bfloat16: the output, the input
/// gradient and the filter gradient (with the bias gradient). Each splits its work across the
/// ``WorkerPool`` and records itself in the ``KernelProfile``.
extension ConvolutionGeometry {
  /// Multiply-adds of one of the convolution's three products.
  var multiplyAdds: Int { pixelCount * patchSize * outputChannels }

  /// The precision this convolution's products run in while ``Precision/current`` is `precision`
  /// (``Precision/forProduct(multiplyAdds:in:)``).
  func precision(in precision: Precision) -> Precision {
    Precision.forProduct(multiplyAdds: multiplyAdds, in: precision)
  }

  /// The convolution of `input` with `filter`, plus `bias` per output channel when given, on the
  /// kernels built for `isa` or in `precision`; records no gradient.
  func convolve(
    _ input: Tensor, _ filter: Tensor, bias: Tensor? = nil, on isa: KernelInstructionSet = .active,
    in precision: Precision = .fp32
  ) -> Tensor {
    let start = KernelProfile.begin()
    defer { profile(start, "forward", on: isa, in: precision) }
    let geometry = kernelGeometry
    let bf16 = precision == .bf16
    let (source, packedFilter) = (
      bf16 ? bfloat16(input) : input.storage, packed(filter, transposed: false, bf16: bf16)
    )
    // Pixel ranges on multiples of the rows of every build's register tile.
    let block = Int(FTW_CONV_ROW_BLOCK)
    let blocks = (pixelCount + block - 1) / block
    let (pixels, threads) = (pixelCount, KernelThreads.count(multiplyAdds: multiplyAdds, parts: blocks))
    return Tensor(shape: outputShape) { out in
      let (input, filter, bias, target) = (
        source.pointer, packedFilter.pointer, bias?.storage.pointer, out.baseAddress!
      )
      WorkerPool.shared.run(parts: threads) { part in
        var geometry = geometry
        let range = KernelThreads.share(part, of: threads, count: blocks)
        let (first, end) = (block * range.lowerBound, Swift.min(pixels, block * range.upperBound))
        if bf16 {
          ftw_conv_forward_bf16(&geometry, halves(input), words(filter), bias, target, first, end)
        } else {
          ftw_conv_forward_on(isa.kernelValue, &geometry, input, filter, bias, target, first, end)
        }
      }
    }
  }

  /// The gradient with respect to the input of the convolution, given the output's cotangent.
  func inputGradient(
    _ outputGradient: Tensor, _ filter: Tensor, on isa: KernelInstructionSet = .active,
    in precision: Precision = .fp32
  ) -> Tensor {
    let start = KernelProfile.begin()
    defer { profile(start, "input gradient", on: isa, in: precision) }
    let geometry = kernelGeometry
    let bf16 = precision == .bf16
    let packedFilter = packed(filter, transposed: true, bf16: bf16)
    let (images, threads) = (batch, KernelThreads.count(multiplyAdds: multiplyAdds, parts: batch))
    return Tensor(shape: inputShape) { out in
      let (gradient, filter, target) = (
        outputGradient.storage.pointer, packedFilter.pointer, out.baseAddress!
      )
      WorkerPool.shared.run(parts: threads) { part in
        var geometry = geometry
        let range = KernelThreads.share(part, of: threads, count: images)
        let (first, end) = (range.lowerBound, range.upperBound)
        if bf16 {
          ftw_conv_input_gradient_bf16(&geometry, gradient, words(filter), target, first, end)
        } else {
          ftw_conv_input_gradient_on(isa.kernelValue, &geometry, gradient, filter, target, first, end)
        }
      }
    }
  }

  /// The gradients with respect to the filter and, when `withBias`, a bias of the convolution,
  /// given its input and the output's cotangent.
  func filterGradient(
    _ input: Tensor, _ outputGradient: Tensor, withBias: Bool = false, on isa: KernelInstructionSet = .active,
    in precision: Precision = .fp32
  ) -> (filter: Tensor, bias: Tensor?) {
    let start = KernelProfile.begin()
    defer { profile(start, "filter gradient", on: isa, in: precision) }
    let geometry = kernelGeometry
    let bf16 = precision == .bf16
    let source = bf16 ? bfloat16(input) : input.storage
    let partialCount = withUnsafePointer(to: geometry) { ftw_conv_filter_gradient_count($0) }
    let (pixels, channels) = (pixelCount, outputChannels)
    // Parts of at least 128 pixels, so that each amortises its partial gradient.
    let threads = KernelThreads.count(multiplyAdds: multiplyAdds, parts: pixels / 128)
    // One partial filter gradient and bias gradient per thread, summed afterwards.
    let partials = Tensor(shape: [threads, partialCount + channels]) { out in
      let (input, gradient, target) = (
        source.pointer, outputGradient.storage.pointer, out.baseAddress!
      )
      WorkerPool.shared.run(parts: threads) { part in
        var geometry = geometry
        let range = KernelThreads.share(part, of: threads, count: pixels)
        let partial = target + part * (partialCount + channels)
        let (bias, first, end) = (withBias ? partial + partialCount : nil, range.lowerBound, range.upperBound)
        if bf16 {
          ftw_conv_filter_gradient_bf16(&geometry, halves(input), gradient, partial, bias, first, end)
        } else {
          ftw_conv_filter_gradient_on(isa.kernelValue, &geometry, input, gradient, partial, bias, first, end)
        }
      }
    }
    return sum(partials, count: threads, withBias: withBias)
  }

  /// The filter gradient (and the bias gradient) from `count` partials of `filterGradient`.
  private func sum(_ partials: Tensor, count: Int, withBias: Bool) -> (filter: Tensor, bias: Tensor?) {
    var geometry = kernelGeometry
    var bias: Tensor?
    let filter = Tensor(shape: filterShape) { filterOut in
      guard withBias else {
        return ftw_conv_filter_gradient_sum(
          &geometry, partials.storage.pointer, count, filterOut.baseAddress!, nil)
      }
      bias = Tensor(shape: [outputChannels]) { biasOut in
        ftw_conv_filter_gradient_sum(
          &geometry, partials.storage.pointer, count, filterOut.baseAddress!, biasOut.baseAddress!)
      }
    }
    return (filter, bias)
  }

  /// The filter packed for the forward product or, `transposed`, for the input gradient: floats
  /// for the fp32 kernels, or with `bf16` pairs of bfloat16 values (32-bit words). Packed once and
  /// kept with the filter's storage (an actor's filters serve every step until new weights come).
  private func packed(_ filter: Tensor, transposed: Bool, bf16: Bool) -> TensorStorage {
    var geometry = kernelGeometry
    let flag: Int32 = transposed ? 1 : 0
    let form = StorageForm.convolutionFilter(shape: filterShape, transposed: transposed, bf16: bf16)
    let count =
      bf16
      ? ftw_conv_packed_filter_count_bf16(&geometry, flag) : ftw_conv_packed_filter_count(&geometry, flag)
    return filter.storage.form(form, count: count) { out in
      if bf16 {
        ftw_conv_pack_filter_bf16(&geometry, filter.storage.pointer, flag, words(out))
      } else {
        ftw_conv_pack_filter(&geometry, filter.storage.pointer, flag, out)
      }
    }
  }

  /// `input` rounded to bfloat16: a storage holding the 16-bit values, two to a float, made once
  /// and kept with the input's (the forward product and the filter gradient both read it).
  private func bfloat16(_ input: Tensor) -> TensorStorage {
    let count = input.scalarCount
    return input.storage.form(.bfloat16, count: (count + 1) / 2) { out in
      let (source, target) = (input.storage.pointer, halves(out))
      let threads = KernelThreads.count(multiplyAdds: count, parts: count / 4096)
      WorkerPool.shared.run(parts: threads) { part in
        let range = KernelThreads.share(part, of: threads, count: count)
        ftw_bf16_round(source + range.lowerBound, range.count, target + range.lowerBound)
      }
    }
  }

  /// The convolution and its shape as ``KernelProfile`` names it: `conv forward 3x3/1 64->64, 160
  /// images`.
  private func profileName(_ product: String) -> String {
    "conv \(product) \(kernelHeight)x\(kernelWidth)/\(strideHeight) \(inputChannels)->\(outputChannels), "
      + "\(batch) images"
  }

  /// Records one of the convolution's products, begun at `start`, in the ``KernelProfile``.
  private func profile(
    _ start: UInt64, _ product: String, on isa: KernelInstructionSet, in precision: Precision
  ) {
    KernelProfile.end(
      start, profileName(product), kernel: "conv \(precision == .bf16 ? .avx512 : isa)", precision: precision,
      multiplyAdds: multiplyAdds)
  }
}

/// A float buffer's memory as the bfloat16 values it holds.
private func halves(_ pointer: UnsafePointer<Float>) -> UnsafePointer<UInt16> {
  UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt16.self)
}

private func halves(_ pointer: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<UInt16> {
  UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: UInt16.self)
}

/// A float buffer's memory as the pairs of bfloat16 values it holds.
private func words(_ pointer: UnsafePointer<Float>) -> UnsafePointer<UInt32> {
  UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt32.self)
}

private func words(_ pointer: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<UInt32> {
  UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: UInt32.self)
}

/// How the convolution kernels share out their work across the ``WorkerPool``'s threads.
private enum KernelThreads {
  /// Threads worth using for a product of `multiplyAdds` that splits into `parts` pieces: one for
  /// small products, whose thread start-up would cost more than it saves.
  static func count(multiplyAdds: Int, parts: Int) -> Int {
    multiplyAdds < 1 << 21 ? 1 : Swift.max(1, Swift.min(WorkerPool.shared.threadCount, parts))
  }

  /// Part `part` of `parts` nearly equal, contiguous shares of `0..<count`.
  static func share(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
    (count * part / parts)..<(count * (part + 1) / parts)
  }
}
