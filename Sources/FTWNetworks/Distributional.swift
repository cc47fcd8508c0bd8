import FTWLayers
import FTWTensor
import Foundation

/// The mean and standard deviation of a diagonal normal, each `[B, D]` (the reference's
/// `LocScaleDistributionParameters`).
public struct LocScaleDistributionParameters: TensorStructure, Sendable {
  public var loc: Tensor
  public var scale: Tensor

  public init(loc: Tensor, scale: Tensor) {
    self.loc = loc
    self.scale = scale
  }

  /// The distribution these parameters describe.
  public var distribution: MultivariateNormalDiag { MultivariateNormalDiag(loc: loc, scale: scale) }

  public func combined(
    with other: LocScaleDistributionParameters, _ combine: (Tensor, Tensor) -> Tensor
  ) -> LocScaleDistributionParameters {
    LocScaleDistributionParameters(loc: combine(loc, other.loc), scale: combine(scale, other.scale))
  }

  public func namedTensors() -> [(name: String, tensor: Tensor)] { [("loc", loc), ("scale", scale)] }
}

/// Mean and scale of a diagonal normal from a linear layer each (the reference's
/// `MultivariateNormalDiagLocScaleHead`).
///
/// `loc = x·w_m + b_m` (then `tanh` when `tanhMean`); `scale = softplus(x·w_s + b_s) · initScale /
/// softplus(0) + minScale`, or `initScale` everywhere with `fixedScale` (and no scale layer).
/// Input `[B, inputSize]`; outputs `[B, numDimensions]`. Parameters: `mean_layer`, `scale_layer`.
///
/// ```swift
/// let head = try MultivariateNormalDiagLocScaleHead(inputSize: 8, numDimensions: 4, generator: &g)
/// let parameters = head(x)   // parameters.loc, parameters.scale
/// ```
public final class MultivariateNormalDiagLocScaleHead: Module {
  public let numDimensions: Int
  public let initScale: Float
  public let minScale: Float
  public let tanhMean: Bool
  public let fixedScale: Bool
  let meanLayer: Linear
  let scaleLayer: Linear?

  /// `wInit` defaults to Sonnet's truncated normal, `bInit` to zeros.
  public init(
    inputSize: Int, numDimensions: Int, initScale: Float = 0.3, minScale: Float = 1e-6,
    tanhMean: Bool = false, fixedScale: Bool = false, wInit: Initializer? = nil,
    bInit: Initializer = .zeros, generator: inout RandomGenerator
  ) throws {
    try ModuleError.requirePositive(numDimensions, "num_dimensions", in: "MultivariateNormalDiagLocScaleHead")
    self.numDimensions = numDimensions
    self.initScale = initScale
    self.minScale = minScale
    self.tanhMean = tanhMean
    self.fixedScale = fixedScale
    meanLayer = try Linear(
      inputSize: inputSize, outputSize: numDimensions, wInit: wInit, bInit: bInit, generator: &generator)
    scaleLayer =
      fixedScale
      ? nil
      : try Linear(
        inputSize: inputSize, outputSize: numDimensions, wInit: wInit, bInit: bInit, generator: &generator)
    super.init(name: "MultivariateNormalDiagLocScaleHead")
    register(meanLayer, as: "mean_layer")
    if let scaleLayer { register(scaleLayer, as: "scale_layer") }
  }

  public func callAsFunction(_ input: Tensor) -> LocScaleDistributionParameters {
    let mean = meanLayer(input)
    let scale: Tensor
    if let scaleLayer {
      scale = scaleLayer(input).softplus() * (initScale / Float(Foundation.log(2.0))) + minScale
    } else {
      scale = Tensor(repeating: initScale, shape: mean.shape)
    }
    return LocScaleDistributionParameters(loc: tanhMean ? mean.tanh() : mean, scale: scale)
  }
}

/// A diagonal normal distribution from a ``MultivariateNormalDiagLocScaleHead`` (the reference's
/// `MultivariateNormalDiagHead`).
///
/// The reference returns either `tfd.MultivariateNormalDiag` or `tfd.Independent(tfd.Normal)`
/// (`useTfdIndependent`); both give the same numbers, and so does the one type returned here.
/// Parameters: `loc_scale/mean_layer`, `loc_scale/scale_layer`.
///
/// ```swift
/// let head = try MultivariateNormalDiagHead(inputSize: 6, numDimensions: 4, generator: &g)
/// let distribution = head(x)
/// let logP = distribution.logProbability(of: value)   // [B]
/// ```
public final class MultivariateNormalDiagHead: Module {
  public let useTfdIndependent: Bool
  let locScale: MultivariateNormalDiagLocScaleHead

  /// `wInit` defaults to Keras' `VarianceScaling(1e-4)`, `bInit` to zeros, as in the reference.
  public init(
    inputSize: Int, numDimensions: Int, initScale: Float = 0.3, minScale: Float = 1e-6,
    tanhMean: Bool = false, fixedScale: Bool = false, useTfdIndependent: Bool = false,
    wInit: Initializer = .varianceScaling(scale: 1e-4), bInit: Initializer = .zeros,
    generator: inout RandomGenerator
  ) throws {
    self.useTfdIndependent = useTfdIndependent
    locScale = try MultivariateNormalDiagLocScaleHead(
      inputSize: inputSize, numDimensions: numDimensions, initScale: initScale, minScale: minScale,
      tanhMean: tanhMean, fixedScale: fixedScale, wInit: wInit, bInit: bInit, generator: &generator)
    super.init(name: "MultivariateNormalDiagHead")
    register(locScale, as: "loc_scale")
  }

  public func callAsFunction(_ input: Tensor) -> MultivariateNormalDiag {
    locScale(input).distribution
  }
}
