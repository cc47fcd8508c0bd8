import FTWTestSupport
import Testing

@testable import FTWTensor

@Suite struct KernelProfileTests {
  @Test func recordsEachProductWithItsKernelAndWork() {
    let (a, b) = (random([40, 30], seed: 1), random([30, 20], seed: 2))
    let (product, entries) = KernelProfile.collect { matmul(a, b) + matmul(a, b) }
    #expect(product.shape == [40, 20])
    #expect(entries.count == 1)
    let entry = entries[0]
    #expect(entry.operation == "gemm 40x20x30")
    #expect(entry.kernel.hasPrefix("blocked \(KernelInstructionSet.active)"))
    #expect(entry.precision == .fp32)
    #expect(entry.calls == 2)
    #expect(entry.flops == Double(2 * 2 * 40 * 20 * 30))
    #expect(entry.seconds > 0)
  }

  @Test func recordsConvolutionsAndNothingOutsideCollect() {
    let image = random([2, 9, 9, 3], seed: 3)
    let filter = random([3, 3, 3, 8], seed: 4)
    _ = conv2d(image, filter)
    let (_, entries) = KernelProfile.collect { conv2d(image, filter) }
    #expect(entries.map(\.operation) == ["conv forward 3x3/1 3->8, 2 images"])
    #expect(entries.first?.flops == Double(2 * 2 * 81 * 27 * 8))
  }
}

@Suite struct PeakRateTests {
  @Test func fp32RunsInEveryBuild() {
    for isa in KernelInstructionSet.available {
      #expect(PeakRate.measure(.fp32, on: isa, seconds: 0.001) > 0.1, "\(isa)")
    }
  }

  @Test func bf16IsMeasuredOnlyWhereItExists() {
    let rate = PeakRate.measure(.bf16, seconds: 0.001)
    #expect((rate > 0) == Precision.bf16.isAvailable)
    #expect(PeakRate.measureConcurrently(.fp32, threads: 2, seconds: 0.001).allSatisfy { $0 > 0.1 })
  }

  @Test func theFastestPrecisionRunsHere() {
    #expect(Precision.fastest.isAvailable)
    #expect(Precision.fp32.isAvailable)
  }
}
