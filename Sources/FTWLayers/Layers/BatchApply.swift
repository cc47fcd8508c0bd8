import FTWTensor

/// Applies `body` to `input` with its first `leadingAxes` axes merged into one batch axis, then
/// splits them again (Sonnet's `BatchApply`): `[T, B, ...] -> [T*B, ...] -> [T, B, ...']`.
public func batchApply(
  _ body: (Tensor) throws -> Tensor, to input: Tensor, leadingAxes: Int = 2
) rethrows -> Tensor {
  precondition(input.rank >= leadingAxes, "batchApply over \(leadingAxes) axes of \(input.shape)")
  let leading = Array(input.shape[..<leadingAxes])
  let merged = input.reshaped(to: [leading.reduce(1, *)] + Array(input.shape[leadingAxes...]))
  let output = try body(merged)
  return output.reshaped(to: leading + Array(output.shape.dropFirst()))
}
