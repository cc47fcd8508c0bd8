import FTWLayers
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct HyperparameterTests {
  @Test func floatHyperparameters() throws {
    var g = RandomGenerator(seed: 1)
    let rate = try FloatHyperparameter(
      name: "lr", initialValue: .logUniform(lower: 1e-4, upper: 1e-2), generator: &g)
    #expect((1e-4...1e-2).contains(rate.value))
    let before = rate.value
    #expect(rate.perturb(generator: &g))
    #expect(abs(rate.value - before) <= 0.2 * before + 1e-9 && rate.value != before)
    try rate.setValues([0.5])
    #expect(rate.value == 0.5)
    #expect(throws: HyperparameterError.self) { try rate.setValues([.nan]) }
    #expect(
      throws: HyperparameterError(name: "x", message: "perturb_probability must be >= 0 and <= 1, got 2.0")
    ) {
      try FloatHyperparameter(name: "x", initialValue: .exact(1), perturbProbability: 2, generator: &g)
    }
    #expect(
      throws: HyperparameterError(
        name: "y", message: "range must be (min, max) with 0 < min <= max, got (1.0, 0.5)")
    ) {
      try FloatHyperparameter(name: "y", initialValue: .logUniform(lower: 1, upper: 0.5), generator: &g)
    }
  }

  @Test func intHyperparameters() throws {
    var g = RandomGenerator(seed: 2)
    let period = try IntHyperparameter(name: "period", range: 5...20, generator: &g)
    var seen = Set<Int>()
    for _ in 0..<200 {
      period.perturb(generator: &g)
      seen.insert(period.value)
    }
    #expect(seen.isSubset(of: Set(5...20)) && seen.count > 10)
    #expect(throws: HyperparameterError.self) { try period.setValues([3]) }
    #expect(throws: HyperparameterError.self) {
      try IntHyperparameter(name: "p", range: 1...3, initialValue: 9, generator: &g)
    }
    let never = try IntHyperparameter(
      name: "q", range: 1...3, initialValue: 2, perturbProbability: 0, generator: &g)
    #expect(!never.perturb(generator: &g) && never.value == 2)
  }
}
