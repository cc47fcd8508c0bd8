import FTWLayers
import FTWTensor
import FTWTestSupport
import Foundation
import Testing

@Suite struct OptimizerTests {
  func quadratic(_ g: inout RandomGenerator) -> (Module, () -> Tensor) {
    let module = Module(name: "quadratic")
    let x = module.register(Parameter(Tensor(randomNormal: [5], generator: &g)), as: "x")
    return (module, { (x.value - 3).squared().sum() })
  }

  @Test(arguments: [0, 1])
  func optimizersMinimiseAndResume(kind: Int) throws {
    var g = RandomGenerator(seed: 3)
    let (module, loss) = quadratic(&g)
    let make: () -> Optimizer = {
      kind == 0 ? RMSProp(learningRate: 0.05, momentum: 0.5, centered: true) : Adam(learningRate: 0.1)
    }
    let optimizer = make()
    let start = loss().scalar
    for _ in 0..<3 { try optimizer.apply(valueWithGradient(of: module, loss).gradient, to: module) }
    let (copy, copyLoss) = quadratic(&g)
    copy.parameter(at: "x")!.value = module.parameter(at: "x")!.value
    let resumed = make()
    try resumed.load(state: optimizer.state)
    for _ in 0..<20 {
      try optimizer.apply(valueWithGradient(of: module, loss).gradient, to: module)
      try resumed.apply(valueWithGradient(of: copy, copyLoss).gradient, to: copy)
    }
    #expect(loss().scalar < start / 4)
    #expect(copy.parameter(at: "x")!.value.isIdentical(to: module.parameter(at: "x")!.value))
  }

  @Test func restoredSlotsMustFitTheParameters() throws {
    var g = RandomGenerator(seed: 5)
    let (module, loss) = quadratic(&g)
    let optimizer = RMSProp(learningRate: 0.1)
    try optimizer.load(state: ["x/ms": Tensor(zeros: [3]), "x/mom": Tensor(zeros: [3])])
    #expect(throws: OptimizerError(message: "slot mom of x has shape [3], the parameter [5]")) {
      try optimizer.apply(valueWithGradient(of: module, loss).gradient, to: module)
    }
  }

  @Test func gradientShapesAreChecked() throws {
    var g = RandomGenerator(seed: 4)
    let (module, _) = quadratic(&g)
    #expect(throws: OptimizerError(message: "gradient for x has shape [2], the parameter [5]")) {
      try RMSProp(learningRate: 1).apply(["x": Tensor([1, 2])], to: module)
    }
  }
}
