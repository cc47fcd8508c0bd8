import FTWEnvironments
import FTWLayers
import Foundation

/// Everything needed to replay a game bit for bit: its arena's layout, its settings, who sat in
/// each seat, and every player's action at every step (one of the 90 composite actions). People's
/// games in `ftw serve` are kept as these; `ftw play --replay FILE` replays one.
///
/// ```swift
/// var log = GameLog(game: game, seats: ["person", "random"])  // right after game.reset()
/// try log.append(actions, scores: game.teamScores)              // each step's components, per player
/// let replayed = try log.replay()                              // throws if the score differs
/// ```
public struct GameLog: Codable, Sendable, Equatable {
  /// The format's version.
  public var version = 1
  /// The arena's name and layout (`#` wall, `.` floor, `A` and `B` bases).
  public var arenaName: String
  public var arenaLayout: String
  public var teamSize: Int
  public var view: ViewKind
  public var viewSize: Int
  public var stepsPerGame: Int
  /// Who played each seat (player index), for people reading the log: `person`, a bot, a run.
  public var seats: [String]
  /// `[steps][players]` flat action indices of `CaptureTheFlag.actionSpec` (0..<90).
  public var actions: [[Int]]
  /// The score after the recorded steps, blue (team 0) first.
  public var scores: [Int]

  /// The largest log file read: a whole game of 16 v 16 at 1000 steps is about 150 KB.
  public static let maximumFileSize = 64 << 20

  /// A log of the game `game` has just started (after `reset()`), with no steps yet.
  public init(game: CaptureTheFlag, seats: [String]) {
    arenaName = game.arena.name
    arenaLayout = game.arena.layout
    teamSize = game.configuration.teamSize
    view = game.configuration.view
    viewSize = game.configuration.viewSize
    stepsPerGame = game.configuration.stepsPerGame
    self.seats = seats
    actions = []
    scores = game.teamScores
  }

  /// Records one step: each player's action components, and the score after it.
  public mutating func append(_ components: [[Int]], scores: [Int]) throws {
    actions.append(try components.map { try CaptureTheFlag.actionSpec.flatIndex(of: $0) })
    self.scores = scores
  }

  /// The game's settings, with its arena fixed to the recorded layout.
  public func configuration() throws -> CaptureTheFlagConfiguration {
    let arena = try Arena(layout: arenaLayout, name: arenaName)
    let configuration = CaptureTheFlagConfiguration(
      arena: .fixed(arena), teamSize: teamSize, view: view, viewSize: viewSize, stepsPerGame: stepsPerGame)
    try configuration.validate()
    return configuration
  }

  /// Plays the recorded actions again, calling `observe` after the reset and after every step;
  /// returns the game. Throws a ``TrainingError`` if the log is malformed or the replay ends on
  /// another score than the one recorded.
  @discardableResult
  public func replay(observe: (CaptureTheFlag) throws -> Void = { _ in }) throws -> CaptureTheFlag {
    try validate()
    let game = try CaptureTheFlag(configuration: try configuration(), seed: 0)
    game.reset()
    try observe(game)
    for step in actions {
      try game.step(try step.map { try CaptureTheFlag.actionSpec.components(ofFlatIndex: $0) })
      try observe(game)
    }
    try require(
      game.teamScores == scores,
      "the replay ends \(game.teamScores[0])-\(game.teamScores[1]), the log says \(scores[0])-\(scores[1])")
    return game
  }

  /// Throws a ``TrainingError`` naming the first thing wrong with the log.
  public func validate() throws {
    try require(version == 1, "game log version \(version) is not supported (this build reads version 1)")
    try require((1...16).contains(teamSize), "teamSize must be in 1...16, got \(teamSize)")
    try require(seats.count == 2 * teamSize, "\(seats.count) seats for teams of \(teamSize)")
    try require(
      actions.count <= stepsPerGame, "\(actions.count) steps recorded in a game of \(stepsPerGame)")
    try require(
      scores.count == 2 && scores.allSatisfy { $0 >= 0 }, "scores must be two counts, got \(scores)")
    for (step, players) in actions.enumerated() {
      try require(
        players.count == 2 * teamSize,
        "step \(step + 1) has \(players.count) actions, the game has \(2 * teamSize) players")
      try require(
        players.allSatisfy { (0..<CaptureTheFlag.actionSpec.flatCount).contains($0) },
        "step \(step + 1) has an action outside 0..<\(CaptureTheFlag.actionSpec.flatCount)")
    }
  }

  /// Reads and checks a log file.
  public static func read(from url: URL) throws -> GameLog {
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    try require(size <= maximumFileSize, "\(url.path) is larger than \(maximumFileSize >> 20) MiB")
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw TrainingError("cannot read \(url.path)")
    }
    let log: GameLog
    do {
      log = try JSONDecoder().decode(GameLog.self, from: data)
    } catch {
      throw TrainingError("\(url.path) is not a game log: \(error)")
    }
    do {
      try log.validate()
    } catch {
      throw TrainingError("\(url.path): \(error)")
    }
    return log
  }

  /// Writes the log to `url` (atomically).
  public func write(to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    try AtomicFile.write(try encoder.encode(self), to: url)
  }
}
