import ArgumentParser
import FTWTensor
import Foundation

/// `ftw bench conv`: GFLOP/s of the FTW torso's convolutions and of their two gradients.
struct ConvBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "conv",
    abstract: "GFLOP/s of the FTW torso's four convolutions (forward, input gradient, filter gradient).",
    discussion: """
      The default torso on 84x84x3 observations: 8x8 stride 4 to 32 channels, 4x4 stride 2 to 64, \
      then two 3x3 stride 1 residual convolutions at 64 (the second shape, timed once). Each with \
      its bias; the filter gradient includes the bias gradient. Medians over repetitions.
      """)

  @Option(help: "Images per convolution (an unroll of T = 20 over B = 8 is 160).")
  var batch: Int = 160

  @Option(help: "Timed repetitions of each measurement (after one warm-up).")
  var repetitions: Int = 10

  @Flag(help: "Print one JSON line instead of a table.")
  var json = false

  /// One convolution of the torso: input `[batch, size, size, channels]`, square kernel, stride.
  struct Layer {
    let name: String
    let size: Int
    let channels: Int
    let kernel: Int
    let stride: Int
    let outputChannels: Int
  }

  static let layers = [
    Layer(name: "conv 8x8/4 3->32", size: 84, channels: 3, kernel: 8, stride: 4, outputChannels: 32),
    Layer(name: "conv 4x4/2 32->64", size: 21, channels: 32, kernel: 4, stride: 2, outputChannels: 64),
    Layer(name: "conv 3x3/1 64->64", size: 11, channels: 64, kernel: 3, stride: 1, outputChannels: 64),
  ]

  func run() throws {
    guard (1...4096).contains(batch) else { throw fail("--batch must be in 1...4096, got \(batch)") }
    guard repetitions > 0 else { throw fail("--repetitions must be positive, got \(repetitions)") }
    var generator = RandomGenerator(seed: 1)
    var rows: [[String: Any]] = []
    for layer in Self.layers { rows += measure(layer, generator: &generator) }
    if json {
      let data = try JSONSerialization.data(
        withJSONObject: ["bench": "conv", "batch": batch, "results": rows], options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    }
  }

  /// Times `layer`'s forward product and its two gradients (printing a line each unless `--json`),
  /// and returns their rows.
  private func measure(_ layer: Layer, generator: inout RandomGenerator) -> [[String: Any]] {
    var rows: [[String: Any]] = []
    let x = Tensor(randomNormal: [batch, layer.size, layer.size, layer.channels], generator: &generator)
    let w = Tensor(
      randomNormal: [layer.kernel, layer.kernel, layer.channels, layer.outputChannels],
      generator: &generator)
    let b = Tensor(randomNormal: [layer.outputChannels], generator: &generator)
    let strides = (layer.stride, layer.stride)
    let y = conv2d(x, w, bias: b, strides: strides)
    let g = Tensor(randomNormal: y.shape, generator: &generator)
    let multiplyAdds = y.scalarCount * layer.kernel * layer.kernel * layer.channels
    let (flops, precision) = (2.0 * Double(multiplyAdds), Precision.forProduct(multiplyAdds: multiplyAdds))
    // Every call on an input and a filter in storage of their own, as in training (nothing
    // derived from them yet: packed filters, bfloat16 or space-to-depth copies).
    var (fx, fw) = (x, w)
    var (xw, ww, bw) = (x.watched(), w.watched(), b.watched())
    var (towardInput, towardFilter) = (
      conv2d(xw, w, bias: b, strides: strides), conv2d(x, ww, bias: bw, strides: strides)
    )
    let measurements: [(String, () -> Void, () -> Void)] = [
      (
        "forward", { (fx, fw) = (freshCopy(x), freshCopy(w)) },
        { _ = conv2d(fx, fw, bias: b, strides: strides) }
      ),
      (
        "input gradient",
        {
          xw = freshCopy(x).watched()
          towardInput = conv2d(xw, freshCopy(w), bias: b, strides: strides)
        }, { _ = gradients(of: [towardInput], cotangents: [g], withRespectTo: [xw]) }
      ),
      (
        "filter gradient",
        {
          (ww, bw) = (freshCopy(w).watched(), b.watched())
          towardFilter = conv2d(freshCopy(x), ww, bias: bw, strides: strides)
        }, { _ = gradients(of: [towardFilter], cotangents: [g], withRespectTo: [ww, bw]) }
      ),
    ]
    for (product, setup, body) in measurements {
      let milliseconds = median(timeCalls(repetitions: repetitions, warmup: 1, setup: setup, body: body))
      let gflops = flops / milliseconds / 1e6
      rows.append([
        "layer": layer.name, "product": product, "ms": milliseconds, "gflops": gflops,
        "precision": precision.rawValue,
      ])
      if !json {
        let label = (layer.name + "  " + product).padding(toLength: 36, withPad: " ", startingAt: 0)
        print(
          label + String(format: "%8.2f ms  %7.1f GFLOP/s  %@", milliseconds, gflops, precision.rawValue))
      }
    }
    return rows
  }
}
