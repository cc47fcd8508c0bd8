/// A built-in player: chooses one player's action from the game's state.
///
/// ```swift
/// let bots = (0..<game.playerCount).map { BotKind.scripted.make(player: $0, seed: 1) }
/// try game.step(bots.map { $0.action(in: game).components })
/// ```
public protocol Bot: AnyObject {
  /// The index of the player the bot plays.
  var player: Int { get }
  /// The bot's action for the game's current state.
  func action(in game: CaptureTheFlag) -> CTFAction
}

/// The built-in bots, by name: the rungs of a ladder from the random bot up, and the scripted bot
/// in two other styles.
///
/// Each rung above `random` is a ``ScriptedBot`` at a ``BotSkill``; their ratings on one Elo scale
/// come from a round robin among them (`ftw ladder`).
public enum BotKind: String, CaseIterable, Sendable {
  /// Uniformly random actions.
  case random
  /// Walks at half speed, sees only its view, reacts late and seldom fires.
  case novice
  /// A little faster and quicker to react and fire than the novice.
  case easy
  /// Near full speed, sees only its view, reacts within two steps, fires a third of the time.
  case medium
  /// Plays the game: fetches the other team's flag by the shortest path, carries it home, tags
  /// opponents in reach on every side half the time it could, returns its own flag.
  case scripted
  /// Fires whenever it can, notices opponents from farther, aims finely, dodges beams and escorts
  /// its team's flag carrier.
  case expert
  /// The scripted bot's skill, guarding its flag at its base.
  case defender
  /// The scripted bot's skill, every second player of a team a defender.
  case mixed

  /// The rungs of the ladder, weakest first.
  public static let ladder: [BotKind] = [.random, .novice, .easy, .medium, .scripted, .expert]

  /// How a scripted bot of this kind plays; `nil` for the random bot.
  public var skill: BotSkill? {
    switch self {
    case .random: nil
    case .novice: BotSkill(reactionSteps: 10, fireChance: 0.05, sight: .view, speed: 0.5)
    case .easy: BotSkill(reactionSteps: 5, fireChance: 0.15, sight: .view, speed: 0.7)
    case .medium: BotSkill(reactionSteps: 2, fireChance: 0.3, sight: .view, speed: 0.9)
    case .scripted: .scripted
    case .expert:
      BotSkill(
        reactionSteps: 0, fireChance: 1, sight: .around, sightRange: 1.6, speed: 1, dodges: true,
        aimsFinely: true,
        escorts: true)
    case .defender:
      BotSkill(reactionSteps: 0, fireChance: 0.5, sight: .around, speed: 1, style: .defender)
    case .mixed:
      BotSkill(reactionSteps: 0, fireChance: 0.5, sight: .around, speed: 1, style: .mixed)
    }
  }

  /// A bot of this kind for `player`; the seed fixes its random choices.
  public func make(player: Int, seed: UInt64) -> any Bot {
    guard let skill else { return RandomBot(player: player, seed: seed) }
    return ScriptedBot(player: player, seed: seed, skill: skill)
  }
}

/// Uniformly random actions: each component drawn on its own every step.
public final class RandomBot: Bot {
  public let player: Int
  private var generator: SplitMix64

  /// Creates a bot for `player`.
  public init(player: Int, seed: UInt64) {
    self.player = player
    generator = SplitMix64(seed: seed)
  }

  public func action(in game: CaptureTheFlag) -> CTFAction {
    CTFAction(
      move: generator.next(below: 3) - 1, strafe: generator.next(below: 3) - 1,
      turn: generator.next(below: 5) - 2, tag: generator.next(below: 2) == 1)
  }
}
