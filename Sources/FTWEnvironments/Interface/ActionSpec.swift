/// One component of a decomposed action: a name and the labels of its choices.
public struct ActionComponent: Sendable, Equatable {
  /// The component's name, such as `"turn"`.
  public var name: String
  /// One label per choice; the choice's index is the action value.
  public var choices: [String]

  /// Creates a component.
  public init(name: String, choices: [String]) {
    self.name = name
    self.choices = choices
  }

  /// The number of choices.
  public var count: Int { choices.count }
}

/// A decomposed discrete action: one choice per component, also numbered as one flat list.
///
/// An action is an `[Int]` with one index per component. The flat numbering is mixed-radix with the
/// first component most significant, so a single categorical policy over `flatCount` actions and a
/// product of per-component categoricals describe the same action set.
///
/// ```swift
/// let spec = CaptureTheFlag.actionSpec  // move 3, strafe 3, turn 5, tag 2
/// spec.flatCount  // 90
/// try spec.components(ofFlatIndex: 89)  // [2, 2, 4, 1]
/// ```
public struct ActionSpec: Sendable, Equatable {
  /// The components, in the order of an action's indices.
  public var components: [ActionComponent]

  /// Creates a spec; every component needs at least one choice.
  public init(components: [ActionComponent]) {
    precondition(components.allSatisfy { $0.count > 0 }, "every action component needs a choice")
    self.components = components
  }

  /// The number of choices of each component.
  public var componentCounts: [Int] { components.map(\.count) }

  /// The number of composite actions, the product of the component counts.
  public var flatCount: Int { components.reduce(1) { $0 * $1.count } }

  /// Throws unless `action` has one in-range index per component.
  public func validate(_ action: [Int]) throws(EnvironmentError) {
    guard action.count == components.count else {
      throw .invalidAction(
        "an action has \(components.count) indices (\(components.map(\.name).joined(separator: ", "))), "
          + "got \(action.count)")
    }
    for (index, component) in zip(action, components) where !(0..<component.count).contains(index) {
      throw .invalidAction(
        "\(component.name) must be in 0..<\(component.count) (\(component.choices.joined(separator: ", "))), "
          + "got \(index)")
    }
  }

  /// The flat index of a decomposed action.
  public func flatIndex(of action: [Int]) throws(EnvironmentError) -> Int {
    try validate(action)
    var flat = 0
    for (index, component) in zip(action, components) { flat = flat * component.count + index }
    return flat
  }

  /// The decomposed action of a flat index in `0..<flatCount`.
  public func components(ofFlatIndex flat: Int) throws(EnvironmentError) -> [Int] {
    guard (0..<flatCount).contains(flat) else {
      throw .invalidAction("a flat action must be in 0..<\(flatCount), got \(flat)")
    }
    var rest = flat
    var action = [Int](repeating: 0, count: components.count)
    for position in components.indices.reversed() {
      action[position] = rest % components[position].count
      rest /= components[position].count
    }
    return action
  }
}
