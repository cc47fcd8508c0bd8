import Foundation

/// One line of a run's `metrics.csv`.
public struct MetricsRow: Sendable, Equatable {
  /// Seconds of training so far, over every session of the run.
  public var wallSeconds: Double
  /// Environment frames (agent steps of one seat) trained on so far.
  public var frames: Int
  /// Learner steps so far.
  public var learnerSteps: Int
  /// Games finished so far.
  public var games: Int
  /// Frames per second since the previous row.
  public var framesPerSecond: Double
  /// The fraction of the recent games won.
  public var winRate: Double
  /// The agent team's mean captures over the recent games.
  public var captures: Double
  /// The other team's mean captures over the recent games.
  public var opponentCaptures: Double
  /// The agent team's mean flag pick-ups over the recent games.
  public var pickups: Double
  /// The learner's losses at the row's step.
  public var loss: Double
  public var policyLoss: Double
  public var criticLoss: Double
  public var entropyLoss: Double
  public var klLoss: Double
  public var pixelControlLoss: Double
  public var rewardPredictionLoss: Double
  public var gradientNorm: Double
  /// The agent's rating on the bot ladder's scale from its league games (empty without a league).
  public var ladderElo: Double?

  /// The CSV header.
  public static let header =
    "wall_seconds,frames,learner_steps,games,frames_per_second,win_rate,captures,opponent_captures,pickups,"
    + "loss,policy_loss,critic_loss,entropy_loss,kl_loss,pixel_control_loss,reward_prediction_loss,gradient_norm,"
    + "ladder_elo"

  /// The names of the columns, in the order of ``header``.
  public static let columns = header.split(separator: ",").map(String.init)

  /// The row's values in the order of ``columns`` (`nil` for a ladder Elo not estimated).
  public var values: [Double?] {
    [
      wallSeconds, Double(frames), Double(learnerSteps), Double(games), framesPerSecond, winRate, captures,
      opponentCaptures, pickups, loss, policyLoss, criticLoss, entropyLoss, klLoss, pixelControlLoss,
      rewardPredictionLoss, gradientNorm, ladderElo,
    ]
  }

  /// The row as a CSV line.
  public var csv: String {
    let numbers: [String] = [
      String(format: "%.1f", wallSeconds), String(frames), String(learnerSteps), String(games),
      String(format: "%.1f", framesPerSecond), String(format: "%.4f", winRate),
      String(format: "%.4f", captures),
      String(format: "%.4f", opponentCaptures), String(format: "%.4f", pickups),
    ]
    return
      (numbers
      + [
        loss, policyLoss, criticLoss, entropyLoss, klLoss, pixelControlLoss, rewardPredictionLoss,
        gradientNorm,
      ].map { String(format: "%.6g", $0) } + [ladderElo.map { String(format: "%.1f", $0) } ?? ""])
      .joined(separator: ",")
  }

  /// Parses a CSV line written by ``csv`` (or by earlier builds, without `ladder_elo`); `nil` for
  /// anything else (a half-written last line).
  public init?(csv line: Substring) {
    let fields = line.split(separator: ",", omittingEmptySubsequences: false)
    guard fields.count == 17 || fields.count == 18 else { return nil }
    let ladderElo = fields.count == 18 && !fields[17].isEmpty ? Double(fields[17]) : nil
    if fields.count == 18, !fields[17].isEmpty, ladderElo?.isFinite != true { return nil }
    let doubles = fields.prefix(17).map { Double($0) }
    guard doubles.allSatisfy({ $0 != nil }), let frames = Int(fields[1]), let steps = Int(fields[2]),
      let games = Int(fields[3])
    else { return nil }
    self.init(
      wallSeconds: doubles[0]!, frames: frames, learnerSteps: steps, games: games,
      framesPerSecond: doubles[4]!,
      winRate: doubles[5]!, captures: doubles[6]!, opponentCaptures: doubles[7]!, pickups: doubles[8]!,
      loss: doubles[9]!, policyLoss: doubles[10]!, criticLoss: doubles[11]!, entropyLoss: doubles[12]!,
      klLoss: doubles[13]!, pixelControlLoss: doubles[14]!, rewardPredictionLoss: doubles[15]!,
      gradientNorm: doubles[16]!, ladderElo: ladderElo)
  }

  /// Creates a row.
  public init(
    wallSeconds: Double, frames: Int, learnerSteps: Int, games: Int, framesPerSecond: Double, winRate: Double,
    captures: Double, opponentCaptures: Double, pickups: Double, loss: Double, policyLoss: Double,
    criticLoss: Double,
    entropyLoss: Double, klLoss: Double, pixelControlLoss: Double, rewardPredictionLoss: Double,
    gradientNorm: Double, ladderElo: Double? = nil
  ) {
    self.wallSeconds = wallSeconds
    self.frames = frames
    self.learnerSteps = learnerSteps
    self.games = games
    self.framesPerSecond = framesPerSecond
    self.winRate = winRate
    self.captures = captures
    self.opponentCaptures = opponentCaptures
    self.pickups = pickups
    self.loss = loss
    self.policyLoss = policyLoss
    self.criticLoss = criticLoss
    self.entropyLoss = entropyLoss
    self.klLoss = klLoss
    self.pixelControlLoss = pixelControlLoss
    self.rewardPredictionLoss = rewardPredictionLoss
    self.gradientNorm = gradientNorm
    self.ladderElo = ladderElo
  }
}
