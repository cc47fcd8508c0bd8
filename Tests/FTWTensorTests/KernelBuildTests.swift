import CFTWKernels
import FTWTestSupport
import Testing

@testable import FTWTensor

/// The convolutions the kernel tests run, `SAME`-padded: whole and ragged tiles, the torso's
/// kernel sizes and strides, odd patch sizes and channel counts.
let convolutionProductCases: [(input: [Int], filter: [Int], stride: Int)] = [
  ([2, 11, 11, 64], [3, 3, 64, 64], 1), ([1, 21, 21, 32], [4, 4, 32, 40], 2),
  ([3, 9, 9, 3], [8, 8, 3, 16], 4),
  ([1, 7, 5, 5], [3, 3, 5, 48], 1), ([2, 6, 6, 4], [2, 2, 4, 7], 1),
]

/// Every build of the C kernels this CPU can run (generic, AVX2, AVX-512) against the naive loops,
/// whichever build the library itself uses: shapes with whole tiles, ragged last tiles in rows and
/// columns, and column counts that leave a strip of 16 or a part of one over.
@Suite struct KernelBuildTests {
  @Test func activeBuildIsTheBestAllowed() {
    #expect(KernelInstructionSet.available.last == KernelInstructionSet.best)
    #expect(KernelInstructionSet.active <= KernelInstructionSet.best)
    #expect(KernelInstructionSet.available.first == .generic)
  }

  /// The blocked GEMM in each build, on every shape and transposition of `productShapes`.
  @Test(arguments: KernelInstructionSet.available)
  func blockedProductsMatchTheNaiveProduct(isa: KernelInstructionSet) {
    expectProductsMatchTheNaiveProduct("\(isa)") { tA, tB, m, n, k, a, lda, b, ldb, c in
      BlockedGemm.multiply(
        transposeA: tA, transposeB: tB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb, beta: 2,
        c: c, ldc: n, on: isa)
    }
  }

  /// Small-M products, `(m, n, k)`, with and without a transposed B: every row count up to 16 (the
  /// AVX-512 build's groups of 8 and their remainders), whole and partial strips of 16 columns.
  @Test(arguments: KernelInstructionSet.available)
  func smallMProductsMatchTheNaiveProduct(isa: KernelInstructionSet) {
    let shapes = [
      (1, 64, 300), (2, 17, 40), (3, 130, 257), (5, 48, 600), (8, 256, 70), (9, 33, 100), (12, 200, 513),
      (16, 1024, 80), (16, 9, 256), (13, 80, 7),
    ]
    for (m, n, k) in shapes {
      for transposeB in [false, true] {
        let a = random([m, k], seed: 51)
        let b = random(transposeB ? [n, k] : [k, n], seed: 52)
        let initial = random([m, n], seed: 53)
        var c = initial.scalars
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
              SkinnyGemm.multiply(
                transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5, a: pa.baseAddress!, lda: k,
                b: pb.baseAddress!, ldb: b.shape[1], beta: 2, c: pc.baseAddress!, ldc: n, on: isa)
            }
          }
        }
        let expected = zip(naiveProduct(a, b, transposeA: false, transposeB: transposeB), initial.scalars)
          .map { 0.5 * $0 + 2 * $1 }
        let worst = zip(c, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-4 * Float(k), "\(isa) m=\(m) n=\(n) k=\(k) tB=\(transposeB): \(worst)")
      }
    }
  }

  /// The small-M kernel on B packed in strips, in each build: every row count up to 16 (each
  /// build's groups of rows and their remainders), whole and partial strips of 16 columns, the
  /// strips split in two ranges as two threads split them, several groups over several blocks of
  /// the depth.
  @Test(arguments: KernelInstructionSet.available)
  func packedSmallMProductsMatchTheNaiveProduct(isa: KernelInstructionSet) {
    for (m, n, k) in [
      (1, 64, 300), (2, 17, 40), (3, 130, 257), (5, 48, 6), (8, 256, 70), (9, 33, 100), (16, 200, 13),
      (16, 40, 600),
    ] {
      let (a, b) = (random([m, k], seed: 54), random([k, n], seed: 55))
      let initial = random([m, n], seed: 56)
      var packed = [Float](repeating: .nan, count: ftw_skinny_packed_count(k, n))
      var c = initial.scalars
      b.withUnsafeBufferPointer { ftw_skinny_pack($0.baseAddress, k, n, n, &packed) }
      let strips = (n + 15) / 16
      a.withUnsafeBufferPointer { pa in
        for (first, last) in [(0, strips / 2), (strips / 2, strips)] {
          ftw_sgemm_skinny_packed_on(
            isa.kernelValue, m, first, last, n, k, 0.5, pa.baseAddress, k, packed, 2, &c, n)
        }
      }
      let expected = zip(naiveProduct(a, b, transposeA: false, transposeB: false), initial.scalars)
        .map { 0.5 * $0 + 2 * $1 }
      let worst = zip(c, expected).map { abs($0 - $1) }.max() ?? 0
      #expect(worst < 1e-4 * Float(k), "\(isa) m=\(m) n=\(n) k=\(k): \(worst)")
    }
  }

  /// The three products of a convolution in one build: the output against the naive loop, and
  /// the two gradients by the adjoint identities <dx, x> = <dw, w> = <y - b, g>, db = sum of g.
  @Test(arguments: KernelInstructionSet.available)
  func convolutionProductsMatchTheNaiveLoops(isa: KernelInstructionSet) {
    for (index, (input, filter, stride)) in convolutionProductCases.enumerated() {
      let geometry = ConvolutionGeometry(
        inputShape: input, filterShape: filter, strides: (stride, stride), padding: .same)
      let seed = UInt64(60 + 4 * index)
      let (x, w, b) = (
        random(input, seed: seed), random(filter, seed: seed + 1), random([filter[3]], seed: seed + 2)
      )
      let plain = naiveConvolution(x, w, strides: (stride, stride), padding: .same)
      let y = geometry.convolve(x, w, bias: b, on: isa)
      #expect(close(y, (plain + b).scalars, 1e-4), "\(isa) case \(index): output")
      let g = random(y.shape, seed: seed + 3)
      let dx = geometry.inputGradient(g, w, on: isa)
      let (dw, db) = geometry.filterGradient(x, g, withBias: true, on: isa)
      let expected = (plain * g).sum().scalar
      let tolerance = 1e-3 * max(1, abs(expected))
      #expect(abs((dx * x).sum().scalar - expected) <= tolerance, "\(isa) case \(index): input gradient")
      #expect(abs((dw * w).sum().scalar - expected) <= tolerance, "\(isa) case \(index): filter gradient")
      #expect(close(db!, g.sum(alongAxes: [0, 1, 2]).scalars, 1e-3), "\(isa) case \(index): bias gradient")
    }
  }

  /// RMSProp's update in every build, plain and centred, bit for bit against the scalar loop in the
  /// same order of operations (no fused multiply-adds), over a length with a vector remainder.
  @Test(arguments: KernelInstructionSet.available)
  func rmsPropStepsMatchTheScalarLoopBitForBit(isa: KernelInstructionSet) {
    let count = 1037
    let (g, ms, mom, mg, p) = (
      random([count], seed: 1).scalars, random([count], 0, 1, seed: 2).scalars,
      random([count], seed: 3).scalars,
      random([count], -0.1, 0.1, seed: 4).scalars, random([count], seed: 5).scalars
    )
    let (decay, momentum, rate, epsilon): (Float, Float, Float, Float) = (0.99, 0.9, 4e-4, 1e-5)
    for centered in [false, true] {
      var (msOut, momOut, mgOut, pOut) = (
        [Float](repeating: 0, count: count), [Float](repeating: 0, count: count),
        [Float](repeating: 0, count: count), [Float](repeating: 0, count: count)
      )
      mg.withUnsafeBufferPointer { means in
        mgOut.withUnsafeMutableBufferPointer { meansOut in
          ftw_rmsprop_step_on(
            isa.kernelValue, count, g, ms, mom, centered ? means.baseAddress : nil, p, decay, momentum, rate,
            epsilon, &msOut, &momOut, centered ? meansOut.baseAddress : nil, &pOut)
        }
      }
      for i in 0..<count {
        let square: Float = g[i] * g[i] * (1 - decay) + ms[i] * decay
        let mean: Float = g[i] * (1 - decay) + mg[i] * decay
        let denominator: Float = centered ? square - mean * mean + epsilon : square + epsilon
        let step: Float = momentum * mom[i] + rate * g[i] / denominator.squareRoot()
        #expect(msOut[i].bitPattern == square.bitPattern, "\(isa) centered \(centered) ms[\(i)]")
        #expect(momOut[i].bitPattern == step.bitPattern, "\(isa) centered \(centered) mom[\(i)]")
        #expect(pOut[i].bitPattern == (p[i] - step).bitPattern, "\(isa) centered \(centered) p[\(i)]")
        if centered { #expect(mgOut[i].bitPattern == mean.bitPattern, "\(isa) mg[\(i)]") }
      }
    }
  }
}
