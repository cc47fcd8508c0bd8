/// One player's action in capture the flag, decomposed as in the FTW paper: move forward or back,
/// strafe left or right, turn at two speeds either way, tag. 3 x 3 x 5 x 2 = 90 composite actions.
///
/// ```swift
/// let action = CTFAction(move: 1, strafe: 0, turn: -2, tag: true)  // forward, turning left fast
/// action.components  // [2, 1, 0, 1], the indices `step(_:)` takes
/// ```
public struct CTFAction: Sendable, Equatable {
  /// -1 back, 0 none, 1 forward.
  public var move: Int
  /// -1 left, 0 none, 1 right.
  public var strafe: Int
  /// -2 left fast, -1 left, 0 none, 1 right, 2 right fast.
  public var turn: Int
  /// Fire the tagging beam.
  public var tag: Bool

  /// Creates an action; values are clamped into their ranges.
  public init(move: Int = 0, strafe: Int = 0, turn: Int = 0, tag: Bool = false) {
    self.move = min(max(move, -1), 1)
    self.strafe = min(max(strafe, -1), 1)
    self.turn = min(max(turn, -2), 2)
    self.tag = tag
  }

  /// The action of one index per component of `CaptureTheFlag.actionSpec`.
  public init(components: [Int]) throws(EnvironmentError) {
    try CaptureTheFlag.actionSpec.validate(components)
    self.init(
      move: components[0] - 1, strafe: components[1] - 1, turn: components[2] - 2, tag: components[3] == 1)
  }

  /// One index per component of `CaptureTheFlag.actionSpec`.
  public var components: [Int] { [move + 1, strafe + 1, turn + 2, tag ? 1 : 0] }

  /// Doing nothing.
  public static let none = CTFAction()
}
