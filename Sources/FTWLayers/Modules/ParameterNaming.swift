/// Which names a parameter path is made of.
public enum ParameterNaming: Sendable {
  /// This package's keys: `torso/layers/0/w`.
  case swift
  /// The reference's object paths, as its TensorFlow checkpoints store them: `_torso/_layers/0/w`.
  case reference

  func segment(key: String, reference: String) -> String {
    self == .swift ? key : reference
  }
}
