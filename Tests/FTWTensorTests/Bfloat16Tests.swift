import CFTWKernels
import FTWTestSupport
import Foundation
import Testing

@testable import FTWTensor

/// The error a bfloat16 product may have, derived rather than tuned.
///
/// Each operand is rounded to bfloat16 to nearest: 8 significant bits, so a relative error of at
/// most `u = 2^-8` each, and `|a'b' - ab| <= (2u + u²) |ab|`. The product of two bfloat16 values
/// has at most 16 significant bits and is exact in single precision. The sums of the `K` products
/// (and of the partial sums of blocks and tiles) are single-precision additions, at most `K + 1` of
/// them in a chain per element (`vdpbf16ps` adds two products to the accumulator, each rounded),
/// which the usual bound covers: `γ(K + 1) Σ|a'b'|` with `γ(n) = n·2^-24 / (1 - n·2^-24)`. So
///
///     |C_bf16 - C| <= ((2u + u²) + γ(K + 1)(1 + u)²) · Σ_p |a_p| |b_p|
///
/// elementwise. The kernels flush subnormal inputs and products to zero (DAZ, FTZ); the test data
/// are far from that range (|x| >= 2^-24 unless 0), so it adds nothing here.
enum Bfloat16Bound {
  static let u = 0x1p-8
  static func gamma(_ n: Int) -> Double { Double(n) * 0x1p-24 / (1 - Double(n) * 0x1p-24) }
  /// The bound's factor on `Σ|a||b|` for a sum of `terms` products.
  static func factor(terms: Int) -> Double { 2 * u + u * u + gamma(terms + 1) * (1 + u) * (1 + u) }
}

@Suite struct Bfloat16Tests {
  /// `op(A) · op(B)` exactly (in Double) and `Σ|op(A)||op(B)|`, row-major `[m, n]`.
  func exactProduct(_ a: Tensor, _ b: Tensor, tA: Bool, tB: Bool) -> (product: [Double], magnitude: [Double])
  {
    let (ar, ac, bc) = (a.shape[0], a.shape[1], b.shape[1])
    let (m, k) = tA ? (ac, ar) : (ar, ac)
    let n = tB ? b.shape[0] : bc
    let (x, y) = (a.scalars, b.scalars)
    var (product, magnitude) = ([Double](repeating: 0, count: m * n), [Double](repeating: 0, count: m * n))
    for i in 0..<m {
      for p in 0..<k {
        let left = Double(tA ? x[p * ac + i] : x[i * ac + p])
        for j in 0..<n {
          let right = Double(tB ? y[j * bc + p] : y[p * bc + j])
          product[i * n + j] += left * right
          magnitude[i * n + j] += abs(left * right)
        }
      }
    }
    return (product, magnitude)
  }

  /// The blocked GEMM in bfloat16, `C = 0.5 op(A) op(B)` (a power-of-two alpha adds no rounding),
  /// against the exact product within the derived bound, on shapes with ragged tiles, an odd
  /// depth, and a depth and width past the bfloat16 blocks; and not bit-identical to fp32 (the
  /// operands really were rounded).
  @Test func blockedProductsAreWithinTheDerivedBound() {
    guard Precision.bf16.isAvailable else {
      #expect(
        Gemm.precision(of: .bf16, transposeA: false, transposeB: false, m: 512, n: 512, k: 512) == .fp32)
      return
    }
    var roundedSomewhere = false
    for (m, n, k) in [(17, 45, 33), (20, 530, 1100), (3, 70, 7)] {
      for (tA, tB) in [(false, false), (true, false), (false, true), (true, true)] {
        let a = random(tA ? [k, m] : [m, k], seed: 71)
        let b = random(tB ? [n, k] : [k, n], seed: 72)
        var (c16, c32) = ([Float](repeating: .nan, count: m * n), [Float](repeating: .nan, count: m * n))
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            for (precision, out) in [(Precision.bf16, 0), (.fp32, 1)] {
              var c = [Float](repeating: .nan, count: m * n)
              c.withUnsafeMutableBufferPointer { pc in
                BlockedGemm.multiply(
                  transposeA: tA, transposeB: tB, m: m, n: n, k: k, alpha: 0.5, a: pa.baseAddress!,
                  lda: a.shape[1], b: pb.baseAddress!, ldb: b.shape[1], beta: 0, c: pc.baseAddress!, ldc: n,
                  in: precision)
              }
              if out == 0 { c16 = c } else { c32 = c }
            }
          }
        }
        let (exact, magnitude) = exactProduct(a, b, tA: tA, tB: tB)
        let factor = Bfloat16Bound.factor(terms: k)
        let outside = (0..<(m * n)).filter {
          abs(Double(c16[$0]) - 0.5 * exact[$0]) > factor * 0.5 * magnitude[$0]
        }
        #expect(outside.isEmpty, "m=\(m) n=\(n) k=\(k) tA=\(tA) tB=\(tB): \(outside.count) outside the bound")
        roundedSomewhere = roundedSomewhere || c16 != c32
      }
    }
    #expect(roundedSomewhere)
  }

  /// The small-M kernel on weights packed as bfloat16 pairs, `C = 0.5 A B`, against the exact
  /// product within the derived bound: every row count up to 16 (tiles of 14 and their
  /// remainders), an odd depth, ragged strips, the strips in two ranges as two threads take them.
  @Test func packedSmallMProductsAreWithinTheDerivedBound() {
    guard Precision.bf16.isAvailable else {
      #expect(Gemm.smallMPrecision(k: 1024, n: 1024) == .fp32)
      return
    }
    for (m, n, k) in [(1, 64, 301), (8, 70, 256), (14, 33, 17), (16, 260, 1290), (5, 16, 1)] {
      let (a, b) = (random([m, k], seed: 91), random([k, n], seed: 92))
      var packed = [UInt32](repeating: 0, count: ftw_skinny_packed_count_bf16(k, n))
      b.withUnsafeBufferPointer { ftw_skinny_pack_bf16($0.baseAddress, k, n, n, &packed) }
      var c = [Float](repeating: .nan, count: m * n)
      let strips = (n + 15) / 16
      a.withUnsafeBufferPointer { pa in
        for (first, last) in [(0, strips / 2), (strips / 2, strips)] {
          ftw_sgemm_skinny_packed_bf16(m, first, last, n, k, 0.5, pa.baseAddress, k, packed, 0, &c, n)
        }
      }
      let (exact, magnitude) = exactProduct(a, b, tA: false, tB: false)
      let factor = Bfloat16Bound.factor(terms: k)
      let outside = (0..<(m * n)).filter {
        abs(Double(c[$0]) - 0.5 * exact[$0]) > factor * 0.5 * magnitude[$0]
      }
      #expect(outside.isEmpty, "m=\(m) n=\(n) k=\(k): \(outside.count) outside the bound")
    }
  }

  /// The three products of a convolution in bfloat16 against exact (Double) ones within the
  /// derived bound: the output sums `K = kh·kw·C` products plus the bias; an input gradient value
  /// sums `O` products per tap the kernel computes and then up to `kh·kw` taps; a filter gradient
  /// value sums one product per output pixel `P`, plus one addition per block of pixels and per
  /// thread's partial, fewer than `2P` in all. Odd patch sizes and channel counts, strides, SAME
  /// padding at the edges.
  @Test func convolutionProductsAreWithinTheDerivedBound() {
    guard Precision.bf16.isAvailable else {
      #expect(Precision.forProduct(multiplyAdds: 1 << 30, in: .bf16) == .fp32)
      return
    }
    for (index, (input, filter, stride)) in convolutionProductCases.enumerated() {
      let geometry = ConvolutionGeometry(
        inputShape: input, filterShape: filter, strides: (stride, stride), padding: .same)
      let seed = UInt64(80 + 4 * index)
      let (x, w, b) = (
        random(input, seed: seed), random(filter, seed: seed + 1), random([filter[3]], seed: seed + 2)
      )
      let g = random(geometry.outputShape, seed: seed + 3)
      let exact = ExactConvolution(geometry, x: x.scalars, w: w.scalars, g: g.scalars)
      let (kh, kw, c, o) = (filter[0], filter[1], filter[2], filter[3])
      let y = geometry.convolve(x, w, bias: b, in: .bf16)
      let dx = geometry.inputGradient(g, w, in: .bf16)
      let (dw, _) = geometry.filterGradient(x, g, in: .bf16)
      let withBias = zip(exact.output, exact.outputMagnitude).enumerated().map { j, pair in
        (pair.0 + Double(b.scalars[j % o]), pair.1 + Double(abs(b.scalars[j % o])))
      }
      let checks: [(String, [Float], [(Double, Double)], Int)] = [
        ("output", y.scalars, withBias, kh * kw * c + 1),
        ("input gradient", dx.scalars, Array(zip(exact.inputGradient, exact.inputMagnitude)), o + kh * kw),
        (
          "filter gradient", dw.scalars, Array(zip(exact.filterGradient, exact.filterMagnitude)),
          2 * geometry.pixelCount
        ),
      ]
      for (name, computed, reference, terms) in checks {
        let factor = Bfloat16Bound.factor(terms: terms)
        let outside = zip(computed, reference).filter { abs(Double($0) - $1.0) > factor * $1.1 }
        #expect(
          outside.isEmpty, "case \(index) \(name): \(outside.count) of \(computed.count) outside the bound")
      }
      #expect(
        y.scalars != geometry.convolve(x, w, bias: b).scalars, "case \(index): the output was not rounded")
    }
  }
}

/// A convolution's three products and the sums of their terms' magnitudes, in Double, by visiting
/// every (output pixel, input value, filter value) triple once.
struct ExactConvolution {
  var output: [Double]
  var outputMagnitude: [Double]
  var inputGradient: [Double]
  var inputMagnitude: [Double]
  var filterGradient: [Double]
  var filterMagnitude: [Double]

  init(_ geometry: ConvolutionGeometry, x: [Float], w: [Float], g: [Float]) {
    let (h, wd, c, kh, kw, o) = (
      geometry.inputHeight, geometry.inputWidth, geometry.inputChannels, geometry.kernelHeight,
      geometry.kernelWidth, geometry.outputChannels
    )
    (output, outputMagnitude) = (
      [Double](repeating: 0, count: g.count), [Double](repeating: 0, count: g.count)
    )
    (inputGradient, inputMagnitude) = (
      [Double](repeating: 0, count: x.count), [Double](repeating: 0, count: x.count)
    )
    (filterGradient, filterMagnitude) = (
      [Double](repeating: 0, count: w.count), [Double](repeating: 0, count: w.count)
    )
    for n in 0..<geometry.batch {
      for oh in 0..<geometry.outputHeight {
        for ow in 0..<geometry.outputWidth {
          let pixel = (n * geometry.outputHeight + oh) * geometry.outputWidth + ow
          for i in 0..<kh {
            for j in 0..<kw {
              let (ih, iw) = (
                oh * geometry.strideHeight - geometry.padTop + i,
                ow * geometry.strideWidth - geometry.padLeft + j
              )
              guard ih >= 0, ih < h, iw >= 0, iw < wd else { continue }
              for ic in 0..<c {
                let xi = ((n * h + ih) * wd + iw) * c + ic
                for oc in 0..<o {
                  let (wi, yi) = (((i * kw + j) * c + ic) * o + oc, pixel * o + oc)
                  let (xv, wv, gv) = (Double(x[xi]), Double(w[wi]), Double(g[yi]))
                  output[yi] += xv * wv
                  outputMagnitude[yi] += abs(xv * wv)
                  inputGradient[xi] += gv * wv
                  inputMagnitude[xi] += abs(gv * wv)
                  filterGradient[wi] += xv * gv
                  filterMagnitude[wi] += abs(xv * gv)
                }
              }
            }
          }
        }
      }
    }
  }
}
