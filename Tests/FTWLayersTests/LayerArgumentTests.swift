import FTWLayers
import FTWTensor
import FTWTestSupport
import Testing

/// A layer's rejected constructor argument is a thrown error that names the argument and what is
/// allowed.
@Suite struct LayerArgumentTests {
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
}
