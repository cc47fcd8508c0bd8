import FTWTensor

/// Flattens every axis after the first `preserveDimensions` into one (Sonnet's `snt.Flatten`).
///
/// ```swift
/// Flatten()(Tensor(zeros: [2, 3, 4]))   // [2, 12]
/// ```
public final class Flatten: Module, Layer {
  public let preserveDimensions: Int

  public init(preserveDimensions: Int = 1, name: String = "flatten") {
    self.preserveDimensions = preserveDimensions
    super.init(name: name)
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    input.flattened(keepingLeadingAxes: preserveDimensions)
  }
}
