import FTWLayers
import FTWTensor
import FTWTestSupport
import Testing

/// Two parents sharing one child, as RPTH's cores share one memory.
final class SharingParent: Module {
  let shared: Linear
  let left: Holder
  let right: Holder

  init(generator: inout RandomGenerator) throws {
    shared = try Linear(inputSize: 2, outputSize: 2, generator: &generator)
    left = Holder(shared)
    right = Holder(shared)
    super.init(name: "parent")
    register(left, as: "cores/0")
    register(right, as: "cores/1")
    register(shared, as: "shared_memory")
  }
}

final class Holder: Module {
  let inner: Linear
  init(_ inner: Linear) {
    self.inner = inner
    super.init(name: "holder")
    register(inner, as: "memory")
  }
}

@Suite struct ModuleTreeTests {
  @Test func sharedChildIsListedOnceUnderItsShortestPath() throws {
    var g = RandomGenerator(seed: 9)
    let parent = try SharingParent(generator: &g)
    #expect(parent.namedParameters().map(\.path) == ["shared_memory/b", "shared_memory/w"])
    #expect(
      parent.namedParameters(naming: .reference).map(\.path) == ["_shared_memory/b", "_shared_memory/w"])
    #expect(parent.parameter(at: "shared_memory/w") === parent.left.inner.w)
    #expect(parent.parameterCount == 6)
  }

  @Test func gradientsReachEveryUseOfASharedParameter() throws {
    var g = RandomGenerator(seed: 10)
    let parent = try SharingParent(generator: &g)
    let x = random([3, 2])
    let (loss, gradient) = valueWithGradient(of: parent) {
      (parent.left.inner(x) + parent.right.inner(x)).sum()
    }
    #expect(gradient.count == 2)
    // d/db of sum(2 (x w + b)) is 2 * batch for every column.
    #expect(gradient["shared_memory/b"]!.scalars == [6, 6])
    #expect(
      close(
        gradient["shared_memory/w"]!,
        (x.sum(alongAxis: 0) * 2).expandingShape(at: 1).broadcasted(to: [2, 2]).scalars))
    #expect(close(loss, [(2 * parent.shared(x)).sum().scalar]))
    #expect(!parent.shared(x).requiresGradient)
  }

  @Test func nonTrainableParametersGetNoGradient() throws {
    let module = Module(name: "m")
    let frozen = module.register(Parameter(Tensor([1, 2]), trainable: false), as: "frozen")
    let weight = module.register(Parameter(Tensor([3, 4])), as: "weight")
    let (_, gradient) = valueWithGradient(of: module) { (frozen.value * weight.value).sum() }
    #expect(gradient.keys.sorted() == ["weight"])
    #expect(gradient["weight"]!.scalars == [1, 2])
    #expect(module.trainableParameters().map(\.path) == ["weight"])
  }
}
