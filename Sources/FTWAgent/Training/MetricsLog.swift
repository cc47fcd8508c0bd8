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
  /// The policy lag (learner steps) over the member's last 10 learner steps: median and maximum,
  /// and the mean share of V-trace's importance weights clipped (empty in rows of earlier builds).
  public var lagMedian: Double?
  public var lagMaximum: Double?
  public var clippedImportanceShare: Double?

  /// The CSV header.
  public static let header =
    "wall_seconds,frames,learner_steps,games,frames_per_second,win_rate,captures,opponent_captures,pickups,"
    + "loss,policy_loss,critic_loss,entropy_loss,kl_loss,pixel_control_loss,reward_prediction_loss,gradient_norm,"
    + "ladder_elo,lag_median,lag_max,clipped_rho_share"

  /// The names of the columns, in the order of ``header``.
  public static let columns = header.split(separator: ",").map(String.init)

  /// The row's values in the order of ``columns`` (`nil` for a ladder Elo not estimated).
  public var values: [Double?] {
    [
      wallSeconds, Double(frames), Double(learnerSteps), Double(games), framesPerSecond, winRate, captures,
      opponentCaptures, pickups, loss, policyLoss, criticLoss, entropyLoss, klLoss, pixelControlLoss,
      rewardPredictionLoss, gradientNorm, ladderElo, lagMedian, lagMaximum, clippedImportanceShare,
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
      ].map { String(format: "%.6g", $0) }
      + [
        ladderElo.map { String(format: "%.1f", $0) } ?? "",
        lagMedian.map { String(format: "%.1f", $0) } ?? "",
        lagMaximum.map { String(format: "%.0f", $0) } ?? "",
        clippedImportanceShare.map { String(format: "%.4f", $0) } ?? "",
      ])
      .joined(separator: ",")
  }

  /// Parses a CSV line written by ``csv`` (or by earlier builds, without `ladder_elo` or without
  /// the lag's columns); `nil` for anything else (a half-written last line).
  public init?(csv line: Substring) {
    let fields = line.split(separator: ",", omittingEmptySubsequences: false)
    guard [17, 18, 21].contains(fields.count) else { return nil }
    // The columns after the 17th may be empty; a non-empty one must be a finite number.
    var optional: [Double?] = []
    for field in fields.dropFirst(17) {
      if field.isEmpty {
        optional.append(nil)
      } else if let value = Double(field), value.isFinite {
        optional.append(value)
      } else {
        return nil
      }
    }
    optional += [Double?](repeating: nil, count: 4 - optional.count)
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
      gradientNorm: doubles[16]!, ladderElo: optional[0], lagMedian: optional[1], lagMaximum: optional[2],
      clippedImportanceShare: optional[3])
  }

  /// Creates a row.
  public init(
    wallSeconds: Double, frames: Int, learnerSteps: Int, games: Int, framesPerSecond: Double, winRate: Double,
    captures: Double, opponentCaptures: Double, pickups: Double, loss: Double, policyLoss: Double,
    criticLoss: Double,
    entropyLoss: Double, klLoss: Double, pixelControlLoss: Double, rewardPredictionLoss: Double,
    gradientNorm: Double, ladderElo: Double? = nil, lagMedian: Double? = nil, lagMaximum: Double? = nil,
    clippedImportanceShare: Double? = nil
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
    self.lagMedian = lagMedian
    self.lagMaximum = lagMaximum
    self.clippedImportanceShare = clippedImportanceShare
  }
}
