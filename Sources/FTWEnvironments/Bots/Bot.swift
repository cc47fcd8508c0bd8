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

/// The built-in bots, by name.
public enum BotKind: String, CaseIterable, Sendable {
  /// Uniformly random actions.
  case random
  /// Plays the game: fetches the other team's flag by the shortest path, carries it home, tags
  /// opponents in reach, returns its own flag.
  case scripted

  /// A bot of this kind for `player`; the seed fixes its random choices.
  public func make(player: Int, seed: UInt64) -> any Bot {
    switch self {
    case .random: RandomBot(player: player, seed: seed)
    case .scripted: ScriptedBot(player: player, seed: seed)
    }
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
