import FTWLayers

/// The settings of a variational unit, which ``RPTH`` and ``PeriodicVariationalUnit`` pass down to
/// every unit they build (the reference's constructor arguments of `VariationalUnit`, but for the
/// shared memory, which is a module).
///
/// ```swift
/// let options = VariationalUnitOptions(hiddenSize: 64, numDimensions: 16, tanhMean: true)
/// let unit = try VariationalUnit(inputSize: 32, options: options, generator: &g)
/// ```
public struct VariationalUnitOptions: Sendable, Equatable {
  /// The core's hidden size (the LSTM's, or the DNC controller's).
  public var hiddenSize: Int
  /// The size of the distribution the unit outputs.
  public var numDimensions: Int
  /// With a memory, the DNC's clip bound (`nil` or 0 for none).
  public var dncClipValue: Float?
  /// With a memory, whether the DNC projects `[controller output, read words]` back to
  /// `hiddenSize`, as the original DNC does.
  public var useDNCLinearProjection: Bool
  /// The distribution head's scale at a zero input (``MultivariateNormalDiagLocScaleHead``).
  public var initScale: Float
  /// The smallest scale the head gives.
  public var minScale: Float
  /// Whether the head squashes the mean with `tanh`.
  public var tanhMean: Bool
  /// Whether the head's scale is `initScale` everywhere (no scale layer).
  public var fixedScale: Bool
  /// The head's weight initialiser; `nil` for Sonnet's default.
  public var wInit: Initializer?
  /// The head's bias initialiser.
  public var bInit: Initializer

  public init(
    hiddenSize: Int = 256, numDimensions: Int = 256, dncClipValue: Float? = nil,
    useDNCLinearProjection: Bool = true, initScale: Float = 0.1, minScale: Float = 1e-6,
    tanhMean: Bool = false,
    fixedScale: Bool = false, wInit: Initializer? = nil, bInit: Initializer = .zeros
  ) {
    (self.hiddenSize, self.numDimensions) = (hiddenSize, numDimensions)
    (self.dncClipValue, self.useDNCLinearProjection) = (dncClipValue, useDNCLinearProjection)
    (self.initScale, self.minScale, self.tanhMean, self.fixedScale) = (
      initScale, minScale, tanhMean, fixedScale
    )
    (self.wInit, self.bInit) = (wInit, bInit)
  }
}
