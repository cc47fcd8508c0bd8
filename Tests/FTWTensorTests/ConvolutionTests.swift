import FTWTestSupport
import Testing

@testable import FTWTensor

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
    ([1, 6, 7, 1], [5, 5, 1, 2], 3, 2, .same), ([1, 10, 13, 2], [4, 8, 2, 3], 2, 4, .same),
    ([2, 11, 9, 3], [4, 4, 3, 5], 2, 2, .valid),
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

  /// Which convolutions run in their space-to-depth form: strided, the kernel a multiple of the
  /// strides, short patch rows (the torso's first layer, and several of `convolutionMatchesNaive`'s
  /// and `largeConvolutionsMatchNaiveAndTheirAdjoints`' cases, which check its values and gradients).
  @Test func stridedConvolutionsOfShortPatchRowsTakeTheSpaceToDepthForm() {
    func form(_ input: [Int], _ filter: [Int], _ strides: (Int, Int), _ padding: Padding) -> SpaceToDepth? {
      SpaceToDepth(
        ConvolutionGeometry(inputShape: input, filterShape: filter, strides: strides, padding: padding))
    }
    let torso = form([160, 84, 84, 3], [8, 8, 3, 32], (4, 4), .same)
    #expect(torso?.blocked.inputShape == [160, 22, 22, 48])
    #expect(torso?.blocked.filterShape == [2, 2, 48, 32])
    #expect(torso?.blocked.outputShape == [160, 21, 21, 32])
    #expect(form([2, 30, 30, 3], [8, 8, 3, 16], (4, 4), .valid)?.blocked.outputShape == [2, 6, 6, 16])
    #expect(form([1, 10, 13, 2], [4, 8, 2, 3], (2, 4), .same) != nil)
    #expect(form([160, 21, 21, 32], [4, 4, 32, 64], (2, 2), .same) == nil)  // rows of 128 values
    #expect(form([1, 9, 9, 3], [3, 3, 3, 4], (2, 2), .same) == nil)  // 3 is not a multiple of 2
    #expect(form([1, 9, 9, 3], [3, 3, 3, 4], (1, 1), .same) == nil)
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
