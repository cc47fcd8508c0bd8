import FTWLayers
import FTWTensor

/// The policy and value head (the reference's `PolicyValueHead`): two MLPs on the same input,
/// `Linear(hiddenSize), activation, Linear(numActions)` for the logits and
/// `Linear(hiddenSize), activation, Linear(1)` for the value.
///
/// Input `[B, inputSize]`; output logits `[B, numActions]` and value `[B]`.
/// Parameters: `policy_layer/layers/{0,2}`, `value_layer/layers/{0,2}`.
///
/// ```swift
/// let head = try PolicyValueHead(inputSize: 256, numActions: 9, generator: &g)
/// let (logits, value) = head(z)
/// ```
public final class PolicyValueHead: Module {
  public let inputSize: Int
  public let numActions: Int
  public let hiddenSize: Int
  let policyLayer: Sequential
  let valueLayer: Sequential

  public init(
    inputSize: Int, numActions: Int, hiddenSize: Int = 256, activation: Activation = .relu,
    generator: inout RandomGenerator
  ) throws {
    try ModuleError.requirePositive(numActions, "num_actions", in: "PolicyValueHead")
    try ModuleError.requirePositive(hiddenSize, "hidden_size", in: "PolicyValueHead")
    try ModuleError.requirePositive(inputSize, "input_size", in: "PolicyValueHead")
    self.inputSize = inputSize
    self.numActions = numActions
    self.hiddenSize = hiddenSize
    func mlp(_ outputs: Int, _ generator: inout RandomGenerator) throws -> Sequential {
      Sequential([
        .layer(try Linear(inputSize: inputSize, outputSize: hiddenSize, generator: &generator)),
        .activation(activation),
        .layer(try Linear(inputSize: hiddenSize, outputSize: outputs, generator: &generator)),
      ])
    }
    policyLayer = try mlp(numActions, &generator)
    valueLayer = try mlp(1, &generator)
    super.init(name: "policy_value_network")
    register(policyLayer, as: "policy_layer")
    register(valueLayer, as: "value_layer")
  }

  /// Logits `[B, numActions]` and value `[B]` for input `[B, inputSize]`.
  public func callAsFunction(_ input: Tensor) -> (logits: Tensor, value: Tensor) {
    (policyLayer(input), valueLayer(input).squeezingShape(at: -1))
  }
}
