import CFTWKernels

/// A strided convolution in its space-to-depth form (`ftw_space_to_depth`): every `s x s` block of
/// the padded input becomes one pixel of `s·s·C` channels, the filter is rearranged the same way,
/// and the convolution becomes a stride-1, unpadded one with a kernel `s` times smaller. Its three
/// products are the original's, up to rounding, but its patches are a few long runs of memory where
/// the original's are many short ones (the torso's 8x8/4 convolution of 3 channels: 8 runs of 24
/// floats, against 2 of 96), which the kernels gather much faster.
///
/// ``conv2d(_:_:bias:strides:padding:)`` takes this form for a convolution whose filter learns,
/// whose kernel is a multiple of its stride and whose patch rows are short (``init(_:)``): the
/// forward product and the filter gradient share the blocks. (For a forward product alone, the
/// copy into blocks costs about what the faster gather saves.)
struct SpaceToDepth {
  /// The original convolution.
  let original: ConvolutionGeometry
  /// The stride-1 convolution of the blocks.
  let blocked: ConvolutionGeometry

  /// The form of `geometry`, or `nil` when it would not pay: a stride of 1, a kernel that is not a
  /// multiple of the stride, or patch rows (kernel width times channels) of 32 values or more,
  /// which the kernels already gather at full speed.
  init?(_ geometry: ConvolutionGeometry) {
    let (s, t) = (geometry.strideHeight, geometry.strideWidth)
    guard s > 1 || t > 1, geometry.kernelHeight % s == 0, geometry.kernelWidth % t == 0,
      geometry.kernelWidth * geometry.inputChannels < 32
    else { return nil }
    original = geometry
    let (kh, kw) = (geometry.kernelHeight / s, geometry.kernelWidth / t)
    blocked = ConvolutionGeometry(
      inputShape: [
        geometry.batch, geometry.outputHeight - 1 + kh, geometry.outputWidth - 1 + kw,
        s * t * geometry.inputChannels,
      ],
      filterShape: [kh, kw, s * t * geometry.inputChannels, geometry.outputChannels], strides: (1, 1),
      padding: .valid)
  }

  /// The convolution of `input` with `filter` (plus `bias`), through the blocks.
  func convolve(_ input: Tensor, _ filter: Tensor, bias: Tensor?, in precision: Precision) -> Tensor {
    blocked.convolve(blocks(input), self.filter(filter), bias: bias, in: precision)
  }

  /// The input gradient of the convolution, through the blocks.
  func inputGradient(_ outputGradient: Tensor, _ filter: Tensor, in precision: Precision) -> Tensor {
    inputGradient(fromBlocks: blocked.inputGradient(outputGradient, self.filter(filter), in: precision))
  }

  /// The filter (and bias) gradient of the convolution, through the blocks.
  func filterGradient(
    _ input: Tensor, _ outputGradient: Tensor, withBias: Bool, in precision: Precision
  ) -> (filter: Tensor, bias: Tensor?) {
    let (filter, bias) = blocked.filterGradient(
      blocks(input), outputGradient, withBias: withBias, in: precision)
    return (filterGradient(fromBlocks: filter), bias)
  }

  /// `input` in blocks, made once and kept with its storage (the forward product and the filter
  /// gradient both read it).
  func blocks(_ input: Tensor) -> Tensor {
    let start = KernelProfile.begin()
    defer {
      KernelProfile.end(
        start, "space-to-depth \(original.inputShape) -> \(blocked.inputShape)", kernel: "copy",
        precision: .fp32,
        multiplyAdds: 0)
    }
    var geometry = original.kernelGeometry
    let form = input.storage.form(
      .spaceToDepth(
        inputShape: original.inputShape, filterShape: original.filterShape, padTop: original.padTop,
        padLeft: original.padLeft),
      count: ftw_space_to_depth_count(&geometry)
    ) { out in
      let (images, source) = (original.batch, input.storage.pointer)
      let threads = Swift.min(WorkerPool.shared.threadCount, images, Swift.max(1, input.scalarCount >> 18))
      WorkerPool.shared.run(parts: threads) { part in
        var geometry = geometry
        ftw_space_to_depth(&geometry, source, out, images * part / threads, images * (part + 1) / threads)
      }
    }
    return Tensor(shape: blocked.inputShape, storage: form)
  }

  /// The input gradient from the blocks' gradient (the adjoint of ``blocks(_:)``).
  private func inputGradient(fromBlocks gradient: Tensor) -> Tensor {
    let geometry = original.kernelGeometry
    let images = original.batch
    return Tensor(shape: original.inputShape) { out in
      let (source, target) = (gradient.storage.pointer, out.baseAddress!)
      let threads = Swift.min(WorkerPool.shared.threadCount, images, Swift.max(1, out.count >> 18))
      WorkerPool.shared.run(parts: threads) { part in
        var geometry = geometry
        ftw_depth_to_space(&geometry, source, target, images * part / threads, images * (part + 1) / threads)
      }
    }
  }

  /// The filter `[kh, kw, C, O]` rearranged for the blocks, `[kh / s, kw / t, s·t·C, O]`, made
  /// once and kept with its storage.
  func filter(_ filter: Tensor) -> Tensor {
    let form = filter.storage.form(
      .spaceToDepthFilter(
        shape: original.filterShape, strides: [original.strideHeight, original.strideWidth]),
      count: filter.scalarCount
    ) { out in rearrange(filter.storage.pointer, into: out, toBlocks: true) }
    return Tensor(shape: blocked.filterShape, storage: form)
  }

  /// The original filter's gradient from the blocked one's.
  private func filterGradient(fromBlocks gradient: Tensor) -> Tensor {
    Tensor(shape: original.filterShape) { out in
      rearrange(gradient.storage.pointer, into: out.baseAddress!, toBlocks: false)
    }
  }

  /// Copies a filter between its original layout and its blocked one: the original's tap
  /// `(s·bh + sh, t·bw + sw)` is the blocked tap `(bh, bw)`, channels `(sh·t + sw)·C ..< +C`.
  private func rearrange(
    _ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, toBlocks: Bool
  ) {
    let (s, t, c, o) = (
      original.strideHeight, original.strideWidth, original.inputChannels, original.outputChannels
    )
    let (kw, blockedKw) = (original.kernelWidth, blocked.kernelWidth)
    for kh in 0..<original.kernelHeight {
      for kwIndex in 0..<kw {
        let (bh, sh, bw, sw) = (kh / s, kh % s, kwIndex / t, kwIndex % t)
        let originalOffset = (kh * kw + kwIndex) * c * o
        let blockedOffset = ((bh * blockedKw + bw) * s * t * c + (sh * t + sw) * c) * o
        let (from, to) = toBlocks ? (originalOffset, blockedOffset) : (blockedOffset, originalOffset)
        (target + to).update(from: source + from, count: c * o)
      }
    }
  }
}
