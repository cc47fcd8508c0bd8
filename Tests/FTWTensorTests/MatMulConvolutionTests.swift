import FTWTensor
import FTWTestSupport
import Testing

/// `C = op(A) op(B)` the slow way, in Double.
func naiveProduct(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> [Float] {
  let (ar, ac) = (a.shape[0], a.shape[1])
  let (br, bc) = (b.shape[0], b.shape[1])
  let (m, k) = transposeA ? (ac, ar) : (ar, ac)
  let n = transposeB ? br : bc
  let (x, y) = (a.scalars, b.scalars)
  var c = [Float](repeating: 0, count: m * n)
  for i in 0..<m {
    for j in 0..<n {
      var total = 0.0
      for p in 0..<k {
        let left = transposeA ? x[p * ac + i] : x[i * ac + p]
        let right = transposeB ? y[j * bc + p] : y[p * bc + j]
        total += Double(left) * Double(right)
      }
      c[i * n + j] = Float(total)
    }
  }
  return c
}

/// The shapes the product tests use, `(m, n, k)`: square and ragged blocks, and few-row products
/// (the small-M kernel's, threaded from 2^20 multiply-adds).
let productShapes = [
  (1, 1, 1), (7, 13, 5), (6, 16, 256), (37, 50, 300), (100, 3, 600), (130, 70, 1), (1, 300, 50),
  (3, 70, 203), (8, 601, 100), (4, 1000, 1030), (5, 103, 77), (7, 29, 301),
]

/// Checks `multiply`, a row-major `C = alpha op(A) op(B) + beta C` with `alpha` 0.5 and `beta` 2,
/// against the naive product for every shape of `productShapes` and every transposition.
func expectProductsMatchTheNaiveProduct(
  _ label: String,
  _ multiply: (
    _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>,
    _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ c: UnsafeMutablePointer<Float>
  ) -> Void
) {
  for (m, n, k) in productShapes {
    for transposeA in [false, true] {
      for transposeB in [false, true] {
        let a = random(transposeA ? [k, m] : [m, k], seed: 11)
        let b = random(transposeB ? [n, k] : [k, n], seed: 12)
        let initial = random([m, n], seed: 13)
        var c = initial.scalars
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
              multiply(
                transposeA, transposeB, m, n, k, pa.baseAddress!, a.shape[1], pb.baseAddress!, b.shape[1],
                pc.baseAddress!)
            }
          }
        }
        let expected = zip(
          naiveProduct(a, b, transposeA: transposeA, transposeB: transposeB), initial.scalars
        )
        .map { 0.5 * $0 + 2 * $1 }
        let worst = zip(c, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(
          worst < 1e-4 * Float(k), "\(label) m=\(m) n=\(n) k=\(k) tA=\(transposeA) tB=\(transposeB): \(worst)"
        )
      }
    }
  }
}

@Suite struct GemmTests {
  @Test(arguments: GemmBackend.available)
  func backendsMatchTheNaiveProduct(backend: GemmBackend) {
    expectProductsMatchTheNaiveProduct("\(backend)") { tA, tB, m, n, k, a, lda, b, ldb, c in
      backend.multiply(
        transposeA: tA, transposeB: tB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb, beta: 2,
        c: c, ldc: n)
    }
  }

  @Test func routedProductsMatchTheNaiveProduct() {
    #expect(Gemm.runsOnSmallMKernel(transposeA: false, transposeB: true, m: 8, n: 601, k: 100))
    #expect(!Gemm.runsOnSmallMKernel(transposeA: true, transposeB: false, m: 8, n: 601, k: 100))
    #expect(!Gemm.runsOnSmallMKernel(transposeA: false, transposeB: false, m: 9, n: 601, k: 100))
    expectProductsMatchTheNaiveProduct("Gemm") { tA, tB, m, n, k, a, lda, b, ldb, c in
      Gemm.multiply(
        transposeA: tA, transposeB: tB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb, beta: 2,
        c: c, ldc: n, on: .builtin)
    }
  }

  @Test func betaZeroIgnoresNaNInOutput() {
    let a = random([8, 8])
    var c = [Float](repeating: .nan, count: 64)
    a.withUnsafeBufferPointer { p in
      c.withUnsafeMutableBufferPointer { pc in
        GemmBackend.builtin.multiply(
          m: 8, n: 8, k: 8, a: p.baseAddress!, lda: 8, b: p.baseAddress!, ldb: 8, c: pc.baseAddress!, ldc: 8)
      }
    }
    #expect(c.allSatisfy { $0.isFinite })
  }
}

@Suite struct MatMulTests {
  @Test func valuesAndShapes() {
    let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
    #expect(matmul(a, b).scalars == [58, 64, 139, 154])
    #expect(matmul(a, a, transposeB: true).scalars == [14, 32, 32, 77])
    #expect(matmul(a, a, transposeA: true).shape == [3, 3])
    let batched = matmul(stack([a, a * 2]), stack([b, b]))
    #expect(batched.shape == [2, 2, 2])
    #expect(batched.scalars == [58, 64, 139, 154, 116, 128, 278, 308])
    #expect(matmul(stack([a, a]), b).scalars == [58, 64, 139, 154, 58, 64, 139, 154])
  }

  @Test func gradientsMatchFiniteDifferences() {
    for transposeA in [false, true] {
      for transposeB in [false, true] {
        let a = random(transposeA ? [4, 3] : [3, 4], seed: 3)
        let b = random(transposeB ? [5, 4] : [4, 5], seed: 4)
        checkGradients([a, b]) { matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB) }
      }
    }
    checkGradients([random([2, 3, 4]), random([2, 4, 2], seed: 5)]) { matmul($0[0], $0[1]) }
    checkGradients([random([2, 3, 4]), random([2, 2, 4], seed: 5)]) { matmul($0[0], $0[1], transposeB: true) }
    checkGradients([random([2, 3, 4]), random([4, 2], seed: 5)]) { matmul($0[0], $0[1]) }
  }
}

/// The convolution the slow way: for each output pixel, the sum over in-bounds taps.
func naiveConvolution(_ x: Tensor, _ w: Tensor, strides: (Int, Int), padding: Padding) -> Tensor {
  let geometry = ConvolutionGeometry(
    inputShape: x.shape, filterShape: w.shape, strides: strides, padding: padding)
  let (xs, ws) = (x.scalars, w.scalars)
  let (h, wd, c) = (x.shape[1], x.shape[2], x.shape[3])
  let (kh, kw, o) = (w.shape[0], w.shape[1], w.shape[3])
  var out = [Float]()
  for n in 0..<x.shape[0] {
    for oh in 0..<geometry.outputHeight {
      for ow in 0..<geometry.outputWidth {
        for oc in 0..<o {
          var total: Float = 0
          for i in 0..<kh {
            for j in 0..<kw {
              let ih = oh * strides.0 - geometry.padTop + i
              let iw = ow * strides.1 - geometry.padLeft + j
              guard ih >= 0, ih < h, iw >= 0, iw < wd else { continue }
              for ic in 0..<c {
                total += xs[((n * h + ih) * wd + iw) * c + ic] * ws[((i * kw + j) * c + ic) * o + oc]
              }
            }
          }
          out.append(total)
        }
      }
    }
  }
  return Tensor(shape: [x.shape[0], geometry.outputHeight, geometry.outputWidth, o], scalars: out)
}

@Suite struct ConvolutionTests {
  @Test func geometryFollowsTensorFlow() {
    let same = ConvolutionGeometry(
      inputShape: [1, 9, 11, 3], filterShape: [4, 4, 3, 5], strides: (2, 2), padding: .same)
    #expect(same.outputHeight == 5 && same.outputWidth == 6)
    #expect(same.padTop == 1 && same.padLeft == 1)  // total 3 and 2: the odd pixel goes to the bottom
    let valid = ConvolutionGeometry(
      inputShape: [1, 84, 84, 3], filterShape: [8, 8, 3, 16], strides: (4, 4), padding: .valid)
    #expect(valid.outputHeight == 20 && valid.outputWidth == 20)
  }

  @Test(arguments: [
    ([2, 7, 6, 3], [3, 3, 3, 4], 1, 1, Padding.same), ([1, 9, 11, 2], [4, 4, 2, 3], 2, 2, .same),
    ([2, 8, 8, 2], [3, 2, 2, 2], 2, 1, .valid), ([1, 5, 5, 3], [1, 1, 3, 2], 1, 1, .same),
    ([1, 6, 7, 1], [5, 5, 1, 2], 3, 2, .same),
  ])
  func convolutionMatchesNaive(input: [Int], filter: [Int], sh: Int, sw: Int, padding: Padding) {
    let x = random(input, seed: 21)
    let w = random(filter, seed: 22)
    let y = conv2d(x, w, strides: (sh, sw), padding: padding)
    let expected = naiveConvolution(x, w, strides: (sh, sw), padding: padding)
    #expect(y.shape == expected.shape)
    #expect(close(y, expected.scalars, 1e-5))
    checkGradients([random(input, seed: 23), random(filter, seed: 24)]) {
      conv2d($0[0], $0[1], strides: (sh, sw), padding: padding)
    }
  }

  @Test func biasIsAddedPerChannelAndGetsTheSummedGradient() {
    let b = random([4], seed: 25)
    let x = random([2, 5, 6, 3], seed: 26)
    let w = random([3, 3, 3, 4], seed: 27)
    let y = conv2d(x, w, bias: b, strides: (2, 1))
    #expect(close(y, (conv2d(x, w, strides: (2, 1)) + b).scalars, 1e-5))
    checkGradients([x, w, b]) { conv2d($0[0], $0[1], bias: $0[2], strides: (2, 1)) }
    // Without a filter gradient the bias gradient is still the cotangent summed over pixels.
    let watched = b.watched()
    let g = random(y.shape, seed: 28)
    let db = gradients(
      of: [conv2d(x, w, bias: watched, strides: (2, 1))], cotangents: [g], withRespectTo: [watched])
    #expect(close(db[0], g.sum(alongAxes: [0, 1, 2]).scalars, 1e-5))
  }

  /// Shapes large enough for whole 6x16 register tiles, a ragged last tile in both directions and
  /// several threads: values against the naive loop, gradients by the adjoint identities
  /// <dx, x> = <dw, w> = <y - b, g> (the convolution is linear in each) and db = sum of g.
  @Test(arguments: [
    ([2, 13, 13, 32], [3, 3, 32, 40], 1, Padding.same), ([3, 21, 21, 16], [4, 4, 16, 32], 2, .same),
    ([2, 30, 30, 3], [8, 8, 3, 16], 4, .valid),
  ])
  func largeConvolutionsMatchNaiveAndTheirAdjoints(input: [Int], filter: [Int], stride: Int, padding: Padding)
  {
    let (x, w, b) = (
      random(input, seed: 41).watched(), random(filter, seed: 42).watched(),
      random([filter[3]], seed: 43).watched()
    )
    let y = conv2d(x, w, bias: b, strides: (stride, stride), padding: padding)
    let plain = naiveConvolution(x, w, strides: (stride, stride), padding: padding)
    #expect(close(y, (plain + b).scalars, 1e-4))
    let g = random(y.shape, seed: 44)
    let (dx, dw, db) = { ($0[0], $0[1], $0[2]) }(
      gradients(of: [y], cotangents: [g], withRespectTo: [x, w, b]))
    let expected = (plain * g).sum().scalar
    #expect(abs((dx * x).sum().scalar - expected) <= 1e-3 * max(1, abs(expected)))
    #expect(abs((dw * w).sum().scalar - expected) <= 1e-3 * max(1, abs(expected)))
    #expect(close(db, g.sum(alongAxes: [0, 1, 2]).scalars, 1e-3))
  }

  @Test(arguments: [
    ([2, 3, 4, 2], [3, 3, 2, 2], 6, 8, 2, Padding.same), ([1, 4, 4, 1], [2, 2, 3, 1], 4, 4, 1, .same),
    ([1, 3, 3, 2], [3, 3, 1, 2], 7, 7, 2, .valid), ([1, 2, 3, 2], [4, 4, 2, 2], 5, 8, 3, .same),
  ])
  func transposedConvolutionIsTheAdjoint(
    input: [Int], filter: [Int], oh: Int, ow: Int, stride: Int, padding: Padding
  ) {
    // <conv2dTranspose(x, w), z> == <x, conv2d(z, w)> for every x and z.
    let x = random(input, seed: 31)
    let w = random(filter, seed: 32)
    let y = conv2dTranspose(x, w, outputSize: (oh, ow), strides: (stride, stride), padding: padding)
    #expect(y.shape == [input[0], oh, ow, filter[2]])
    let z = random(y.shape, seed: 33)
    let left = (y * z).sum().scalar
    let right = (x * conv2d(z, w, strides: (stride, stride), padding: padding)).sum().scalar
    #expect(abs(left - right) <= 1e-4 * max(1, abs(left)))
    checkGradients([x, w]) {
      conv2dTranspose($0[0], $0[1], outputSize: (oh, ow), strides: (stride, stride), padding: padding)
    }
  }
}

@Suite struct RandomTests {
  @Test func replaysBitForBit() {
    var a = RandomGenerator(seed: 99)
    var b = RandomGenerator(seed: 99)
    let x = Tensor(randomNormal: [100], generator: &a)
    let y = Tensor(randomNormal: [100], generator: &b)
    #expect(x.isIdentical(to: y))
    #expect(a == b)
    var c = RandomGenerator(state: a.state)
    #expect(c.next() == a.next())
    var d = RandomGenerator(seed: 100)
    #expect(!Tensor(randomNormal: [100], generator: &d).isIdentical(to: x))
  }

  @Test func distributions() {
    var g = RandomGenerator(seed: 5)
    let uniform = Tensor(randomUniform: [20000], lower: 2, upper: 4, generator: &g).scalars
    #expect(uniform.allSatisfy { $0 >= 2 && $0 < 4 })
    #expect(abs(uniform.reduce(0, +) / 20000 - 3) < 0.02)
    let normal = Tensor(randomNormal: [20000], mean: 1, standardDeviation: 2, generator: &g).scalars
    let mean = normal.reduce(0, +) / 20000
    let variance = normal.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20000
    #expect(abs(mean - 1) < 0.05 && abs(variance.squareRoot() - 2) < 0.05)
    let truncated = Tensor(truncatedNormal: [20000], standardDeviation: 0.5, generator: &g).scalars
    #expect(truncated.allSatisfy { abs($0) <= 1 })
    // A normal cut at two deviations keeps about 0.88 of the variance.
    let spread = (truncated.map { $0 * $0 }.reduce(0, +) / 20000).squareRoot()
    #expect(abs(spread - 0.5 * 0.8796) < 0.01)
  }
}
