import FTWLayers
import FTWTensor
import FTWTestSupport
import Testing

@Suite struct LayerTests {
  @Test func linearComputesAffineMap() throws {
    var g = RandomGenerator(seed: 1)
    let linear = try Linear(inputSize: 3, outputSize: 2, generator: &g)
    linear.w.value = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
    linear.b!.value = Tensor([10, 20])
    #expect(linear(Tensor(shape: [1, 3], scalars: [1, 1, 1])).scalars == [19, 32])
    #expect(linear(Tensor(zeros: [4, 5, 3])).shape == [4, 5, 2])
    let noBias = try Linear(inputSize: 3, outputSize: 2, withBias: false, generator: &g)
    #expect(noBias.namedParameters().map(\.path) == ["w"])
  }

  @Test func sonnetDefaultInitialisers() throws {
    var g = RandomGenerator(seed: 2)
    let linear = try Linear(inputSize: 400, outputSize: 300, generator: &g)
    let w = linear.w.value.scalars
    let bound = 2 / Float(400).squareRoot()
    #expect(w.allSatisfy { abs($0) <= bound })
    // A normal cut at two deviations keeps sqrt(0.774) of its deviation.
    let deviation = (w.map { $0 * $0 }.reduce(0, +) / Float(w.count)).squareRoot()
    #expect(abs(deviation - 0.8796 / 20) < 0.001)
    #expect(linear.b!.value.scalars.allSatisfy { $0 == 0 })
    let conv = try Conv2D(inputChannels: 3, outputChannels: 8, kernelShape: 4, generator: &g)
    #expect(conv.w.shape == [4, 4, 3, 8])
    #expect(conv.w.value.scalars.allSatisfy { abs($0) <= 2 / Float(48).squareRoot() })
  }

  @Test func sameSeedSameWeights() throws {
    var a = RandomGenerator(seed: 3)
    var b = RandomGenerator(seed: 3)
    let first = try LSTM(inputSize: 4, hiddenSize: 5, generator: &a)
    let second = try LSTM(inputSize: 4, hiddenSize: 5, generator: &b)
    for ((_, p), (_, q)) in zip(first.namedParameters(), second.namedParameters()) {
      #expect(p.value.isIdentical(to: q.value))
    }
  }

  @Test func lstmFollowsSonnet() throws {
    var g = RandomGenerator(seed: 4)
    let lstm = try LSTM(inputSize: 2, hiddenSize: 3, generator: &g)
    #expect(lstm.b.value.scalars == [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    #expect(lstm.namedParameters(naming: .reference).map(\.path) == ["_w_h", "_w_i", "b"])
    let state = lstm.initialState(batchSize: 2)
    #expect(state.hidden.shape == [2, 3] && state.cell.scalars.allSatisfy { $0 == 0 })
    let x = Tensor(shape: [2, 2], scalars: [0.5, -1, 2, 0.25])
    let previous = LSTMState(
      hidden: Tensor(repeating: 0.1, shape: [2, 3]), cell: Tensor(repeating: -0.3, shape: [2, 3]))
    let (h, next) = lstm(x, previous)
    // The same step written out: i, f, g, o quarters.
    let gates = matmul(x, lstm.wI.value) + matmul(previous.hidden, lstm.wH.value) + lstm.b.value
    let q = gates.split(count: 4, alongAxis: 1)
    let cell = q[1].sigmoid() * previous.cell + q[0].sigmoid() * q[2].tanh()
    #expect(next.cell.isIdentical(to: cell))
    #expect(h.isIdentical(to: q[3].sigmoid() * cell.tanh()))
    // The same step from the input's gates computed by the caller.
    let (hFromGates, nextFromGates) = lstm.step(inputGates: matmul(x, lstm.wI.value), previous)
    #expect(hFromGates.isIdentical(to: h) && nextFromGates.cell.isIdentical(to: next.cell))
    let (sequence, final) = staticUnroll(lstm, inputs: Tensor(zeros: [5, 2, 2]), initialState: state)
    #expect(sequence.shape == [5, 2, 3])
    #expect(sequence.element(4).isIdentical(to: final.hidden))
  }

  @Test func transposedConvolutionDefaultShapes() throws {
    var g = RandomGenerator(seed: 5)
    let same = try Conv2DTranspose(
      inputChannels: 2, outputChannels: 3, kernelShape: 4, stride: 2, generator: &g)
    #expect(same(Tensor(zeros: [1, 5, 6, 2])).shape == [1, 10, 12, 3])
    let valid = try Conv2DTranspose(
      inputChannels: 2, outputChannels: 3, kernelShape: [3, 2], stride: 2, padding: .valid, generator: &g)
    #expect(valid(Tensor(zeros: [1, 5, 6, 2])).shape == [1, 12, 13, 3])
    let fixed = try Conv2DTranspose(
      inputChannels: 2, outputChannels: 1, kernelShape: 3, outputShape: [9, 11], stride: 2, generator: &g)
    #expect(fixed(Tensor(zeros: [2, 5, 6, 2])).shape == [2, 9, 11, 1])
    #expect(fixed.w.shape == [3, 3, 1, 2])
  }

  @Test func rejectedArgumentsSayWhatIsAllowed() {
    var g = RandomGenerator(seed: 6)
    #expect(
      throws: ModuleError(module: "Linear", argument: "output_size", message: "must be positive, got 0")
    ) {
      try Linear(inputSize: 3, outputSize: 0, generator: &g)
    }
    #expect(
      throws: ModuleError(module: "Conv2D", argument: "kernel_shape", message: "must be positive, got [0, 3]")
    ) {
      try Conv2D(inputChannels: 3, outputChannels: 2, kernelShape: [0, 3], generator: &g)
    }
    #expect(
      throws: ModuleError(module: "Conv2DTranspose", argument: "stride", message: "must be positive, got -1")
    ) {
      try Conv2DTranspose(inputChannels: 3, outputChannels: 2, kernelShape: 3, stride: -1, generator: &g)
    }
    #expect(throws: ModuleError(module: "LSTM", argument: "hidden_size", message: "must be positive, got -2"))
    {
      try LSTM(inputSize: 3, hiddenSize: -2, generator: &g)
    }
    let message =
      "\(ModuleError(module: "Linear", argument: "output_size", message: "must be positive, got 0"))"
    #expect(message == "Linear: output_size must be positive, got 0")
  }

  @Test func sequentialCountsActivations() throws {
    var g = RandomGenerator(seed: 7)
    let first = try Linear(inputSize: 4, outputSize: 8, generator: &g)
    let second = try Linear(inputSize: 8, outputSize: 2, generator: &g)
    let mlp = Sequential([.layer(first), .activation(.relu), .layer(second), .layer(Flatten())])
    #expect(mlp.namedParameters().map(\.path) == ["layers/0/b", "layers/0/w", "layers/2/b", "layers/2/w"])
    #expect(
      mlp.namedParameters(naming: .reference).map(\.path) == [
        "_layers/0/b", "_layers/0/w", "_layers/2/b", "_layers/2/w",
      ])
    let x = random([3, 4])
    #expect(mlp(x).isIdentical(to: second(first(x).relu())))
    #expect(mlp.parameterCount == 4 * 8 + 8 + 8 * 2 + 2)
  }

  @Test func batchApplyMergesLeadingAxes() throws {
    var g = RandomGenerator(seed: 8)
    let conv = try Conv2D(inputChannels: 2, outputChannels: 3, kernelShape: 3, stride: 2, generator: &g)
    let frames = random([4, 2, 6, 6, 2])
    let out = batchApply(conv.callAsFunction, to: frames)
    #expect(out.shape == [4, 2, 3, 3, 3])
    #expect(
      out.element(3).element(1).isIdentical(
        to: conv(frames.element(3).element(1).expandingShape(at: 0)).squeezingShape(at: 0)))
  }

  @Test func activationsByName() {
    #expect(Activation(rawValue: "elu") == .elu)
    #expect(Activation.tanh(Tensor([0])).scalars == [0])
    #expect(Activation.allCases.map(\.rawValue) == ["relu", "tanh", "elu"])
  }
}

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
