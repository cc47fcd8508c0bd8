import Foundation

/// The games people played in `ftw serve`, kept as ``GameLog`` files in one folder, and each
/// person's record against each opponent they met.
///
/// ```swift
/// let games = PeopleGames(folder: URL(fileURLWithPath: "games"))
/// let name = try games.keep(match.log)
/// for line in games.record() { print(line.opponents, line.won, line.drawn, line.lost) }
/// ```
public struct PeopleGames: Sendable {
  /// Won, drawn and lost games against one line-up of opponents.
  public struct RecordLine: Codable, Sendable, Equatable {
    /// The other team's seats, as the logs name them (`scripted`, `runs/a`, ...).
    public var opponents: String
    public var won = 0
    public var drawn = 0
    public var lost = 0
  }

  /// The folder of the logs.
  public let folder: URL
  /// The most logs read for the record (the newest).
  public static let recordLimit = 2000

  public init(folder: URL) { self.folder = folder }

  /// Writes `log` as a new file (atomically) and returns its name.
  public func keep(_ log: GameLog) throws -> String {
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw TrainingError("cannot create \(folder.path): \(error.localizedDescription)")
    }
    let stamp = Int(Date().timeIntervalSince1970 * 1000)
    let name = "game-\(stamp)-\(UInt32.random(in: 0...UInt32.max)).json"
    try log.write(to: folder.appendingPathComponent(name))
    return name
  }

  /// The log named `name`; throws a ``TrainingError`` unless it is one of the folder's logs.
  public func log(named name: String) throws -> GameLog {
    try require(
      name.hasPrefix("game-") && name.hasSuffix(".json") && !name.contains("/") && !name.contains(".."),
      "no game is named '\(name)'")
    return try GameLog.read(from: folder.appendingPathComponent(name))
  }

  /// The names of the kept logs, oldest first.
  public func names() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasPrefix("game-") && $0.hasSuffix(".json") }.sorted()
  }

  /// The person's record against each line-up of opponents over the finished games, most
  /// played first.
  public func record() -> [RecordLine] {
    var lines: [String: RecordLine] = [:]
    for name in names().suffix(Self.recordLimit) {
      guard let log = try? log(named: name), log.actions.count == log.stepsPerGame,
        let person = log.seats.firstIndex(of: "person")
      else { continue }
      let team = person < log.teamSize ? 0 : 1
      let others = Array(log.seats[(1 - team) * log.teamSize..<(2 - team) * log.teamSize])
      let opponents = Set(others).count == 1 ? others[0] : others.joined(separator: ", ")
      var line = lines[opponents] ?? RecordLine(opponents: opponents)
      let (own, theirs) = (log.scores[team], log.scores[1 - team])
      if own > theirs { line.won += 1 } else if own < theirs { line.lost += 1 } else { line.drawn += 1 }
      lines[opponents] = line
    }
    return lines.values.sorted {
      ($0.won + $0.drawn + $0.lost, $1.opponents) > ($1.won + $1.drawn + $1.lost, $0.opponents)
    }
  }
}
