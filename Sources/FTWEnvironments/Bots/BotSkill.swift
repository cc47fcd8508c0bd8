/// How well a ``ScriptedBot`` plays: how soon it reacts to an opponent, how often it fires when it
/// could, what it sees, how fast it moves, whether it dodges and aims finely, and its role.
///
/// ```swift
/// var skill = BotSkill.scripted
/// skill.fireChance = 0.2       // fires at one step in five with an opponent in its beam
/// skill.sight = .view          // notices only opponents in its 90-degree view
/// let bot = ScriptedBot(player: 0, seed: 1, skill: skill)
/// ```
public struct BotSkill: Sendable, Equatable {
  /// Steps an opponent must stay in sight before the bot turns to it and fires (0: at once).
  public var reactionSteps: Int
  /// The chance it fires in a step with an opponent in its beam and its beam ready.
  public var fireChance: Double
  /// Which opponents it notices.
  public var sight: BotSight
  /// How far it notices opponents, in beam lengths (`tagRange`): 1 notices them as they come into
  /// reach, more lets it turn to them before.
  public var sightRange: Float
  /// The chance it moves forward in a step in which it wants to (1: full speed).
  public var speed: Double
  /// Whether it strafes out of an opponent's beam aimed at it.
  public var dodges: Bool
  /// Whether it strafes to bring an opponent just beside its beam into it.
  public var aimsFinely: Bool
  /// Whether it stays beside a teammate carrying the flag home (else it goes home to meet it).
  public var escorts: Bool
  /// What it plays for.
  public var style: BotStyle

  /// A skill; see each property.
  public init(
    reactionSteps: Int, fireChance: Double, sight: BotSight, sightRange: Float = 1, speed: Double,
    dodges: Bool = false,
    aimsFinely: Bool = false, escorts: Bool = false,
    style: BotStyle = .attacker
  ) {
    self.reactionSteps = max(0, reactionSteps)
    self.fireChance = min(max(fireChance, 0), 1)
    self.sight = sight
    self.sightRange = max(0, sightRange)
    self.speed = min(max(speed, 0), 1)
    self.dodges = dodges
    self.aimsFinely = aimsFinely
    self.escorts = escorts
    self.style = style
  }

  /// The original scripted bot: reacts at once to opponents in reach on every side, fires half the
  /// time it could, runs at full speed, attacks.
  public static let scripted = BotSkill(reactionSteps: 0, fireChance: 0.5, sight: .around, speed: 1)
}

/// Which opponents a bot notices (always within beam reach, `tagRange`).
public enum BotSight: String, Sendable, Equatable {
  /// Only those its own first-person view shows: within 45 degrees of its heading, not behind a
  /// wall.
  case view
  /// Those on every side not behind a wall.
  case around
}

/// What a bot plays for.
public enum BotStyle: String, Sendable, Equatable {
  /// Fetches the other team's flag and carries it home.
  case attacker
  /// Guards its own flag at its base, chases its carrier and returns it.
  case defender
  /// Each team's second, fourth, ... player defends and the others attack (a lone player attacks).
  case mixed

  /// Whether the bot playing `player` of a game with teams of `teamSize` defends.
  public func defends(player: Int, teamSize: Int) -> Bool {
    switch self {
    case .attacker: false
    case .defender: true
    case .mixed: (player % teamSize) % 2 == 1
    }
  }
}
