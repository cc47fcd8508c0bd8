import FTWLayers
import FTWTensor

/// RPTH with only its sample as output (the reference's `RPTHZWrapper`), for modules that want a
/// plain tensor core, such as ``RNNPixelControlNetwork``. Parameters: `core/...`.
///
/// ```swift
/// let core = RPTHZWrapper(rpth)
/// let (z, state) = core(x, core.initialState(batchSize: 4))
/// ```
public final class RPTHZWrapper: Module, TensorRecurrentCore {
  public let core: RPTH

  public init(_ core: RPTH) {
    self.core = core
    super.init(name: "rpth_z_wrapper")
    register(core, as: "core")
  }

  public var outputSize: Int { core.numDimensions }

  public func initialState(batchSize: Int) -> RPTHState { core.initialState(batchSize: batchSize) }

  public func callAsFunction(_ input: Tensor, _ state: RPTHState) -> (Tensor, RPTHState) {
    let (output, next) = core(input, state)
    return (output.z, next)
  }
}
