import ArgumentParser
import FTWAgent
import Foundation

/// Runs a training session for a command (`ftw train`, `ftw learner`): prints the checkpoints it
/// refused, `header` and the precision of its products, trains until the budget is spent or Ctrl-C
/// (printing its progress), and says where it saved; a failure becomes the command's error.
func runTraining(
  _ session: any TrainingSession, header: String, budget: TrainingBudget,
  source: (any ExperienceSource)? = nil
) throws {
  for refusal in session.refusedCheckpoints { printNow("refused \(refusal); using an older checkpoint") }
  printNow(header)
  printNow(learnerPrecisionLine(session.configuration))
  let (stop, interrupt) = stopOnInterrupt()
  defer { interrupt.cancel() }
  var lastPrint = Date.distantPast
  do {
    try session.train(budget: budget, stop: stop, source: source) { $0.print(lastPrint: &lastPrint) }
  } catch {
    throw fail("training stopped: \(error)")
  }
  print("\n" + session.savedSummary)
}
