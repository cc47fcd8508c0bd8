import FTWAgent
import Foundation

extension TrainingProgress {
  /// Prints the progress as one line, rewritten at most twice a second: if `lastPrint` is half a
  /// second ago or more (and then sets it to now). A population's evolution is printed on a line
  /// of its own at once.
  func print(lastPrint: inout Date) {
    if let evolution {
      // Written straight away, in order with the progress line (print is buffered into a file).
      FileHandle.standardOutput.write(Data(Self.line(of: evolution).utf8))
    }
    guard Date().timeIntervalSince(lastPrint) >= 0.5 else { return }
    lastPrint = Date()
    FileHandle.standardOutput.write(Data((ratings.isEmpty ? line : populationLine).utf8))
  }

  /// The line that reports a single agent's progress (starting with a carriage return), with its
  /// ladder Elo when it trains in a league.
  var line: String {
    let m = metrics
    let ladder = ladderElo.map { String(format: " | ladder %.0f", $0) } ?? ""
    return String(
      format:
        "\r%6.0f fps | %9d frames | %6d games | win %3.0f%% | captures %.2f vs %.2f | pick-ups %.2f%@ | loss %.3f (pg %.3f, v %.3f, ent %.3f, kl %.3f) | lag %.0f (max %d, %.0f%% clipped) | %@",
      framesPerSecond, frames, games, 100 * winRate, captures, opponentCaptures, pickups, ladder, m.loss,
      m.policyGradientLoss, m.criticLoss, m.entropyLoss, m.klPriorFixedLoss + m.klPriorPosteriorLoss,
      lag.median, lag.maximum, 100 * lag.clippedShare, Train.clock(wallSeconds))
  }

  /// The line that reports a population's progress: its ratings (starting with a carriage return).
  var populationLine: String {
    let best = ratings.indices.max { ratings[$0] < ratings[$1] } ?? 0
    return String(
      format:
        "\r%6.0f fps | %9d frames | %6d games | evolutions %d | best %.0f (member %d) | spread %.0f | ratings %@ | %@",
      framesPerSecond, frames, games, evolutions, ratings[best], best,
      (ratings.max() ?? 0) - (ratings.min() ?? 0),
      ratings.map { String(format: "%.0f", $0) }.joined(separator: " "), Train.clock(wallSeconds))
  }

  /// The line of an evolution, on a line of its own.
  static func line(of event: EvolutionEvent) -> String {
    String(
      format:
        "\nmember %d (%.0f) copies member %d (%.0f, wins with p %.2f): generation %d, learning rate %.2e, period %d\n",
      event.member, event.memberRating, event.donor, event.donorRating, event.donorWinProbability,
      event.generation, event.after.learningRate, event.after.slowCorePeriod)
  }
}
