import FTWEnvironments

/// The keys a person holds during one step, as the page of `ftw serve` sends them; ``action`` is
/// the capture-the-flag action they mean.
///
/// ```swift
/// let keys = KeyState(forward: true, turnLeft: true, fast: true)
/// keys.action  // CTFAction(move: 1, turn: -2)
/// ```
public struct KeyState: Codable, Sendable, Equatable {
  public var forward = false
  public var back = false
  public var left = false
  public var right = false
  public var turnLeft = false
  public var turnRight = false
  /// Turns at the fast speed.
  public var fast = false
  public var tag = false

  /// Keys held; the rest are up.
  public init(
    forward: Bool = false, back: Bool = false, left: Bool = false, right: Bool = false,
    turnLeft: Bool = false, turnRight: Bool = false, fast: Bool = false, tag: Bool = false
  ) {
    (self.forward, self.back, self.left, self.right) = (forward, back, left, right)
    (self.turnLeft, self.turnRight, self.fast, self.tag) = (turnLeft, turnRight, fast, tag)
  }

  /// Reads the keys a message names; a key not named is up.
  public init(from decoder: any Decoder) throws {
    let keys = try decoder.container(keyedBy: CodingKeys.self)
    func held(_ key: CodingKeys) throws -> Bool { try keys.decodeIfPresent(Bool.self, forKey: key) ?? false }
    self.init(
      forward: try held(.forward), back: try held(.back), left: try held(.left), right: try held(.right),
      turnLeft: try held(.turnLeft), turnRight: try held(.turnRight), fast: try held(.fast),
      tag: try held(.tag))
  }

  /// The action: opposite keys cancel out.
  public var action: CTFAction {
    let turn = (turnRight ? 1 : 0) - (turnLeft ? 1 : 0)
    return CTFAction(
      move: (forward ? 1 : 0) - (back ? 1 : 0), strafe: (right ? 1 : 0) - (left ? 1 : 0),
      turn: fast ? 2 * turn : turn, tag: tag)
  }
}
