import ArgumentParser
import FTWAgent
import Foundation

/// Runs a training session for a command (`ftw train`, `ftw learner`): prints the checkpoints it
/// refused, `header` and the precision of its products, trains until the budget is spent or Ctrl-C
/// (reporting through `report`), and says where it saved; a failure becomes the command's error.
func runTraining<Session: TrainingSession>(
  _ session: Session, header: String, budget: TrainingBudget, source: (any ExperienceSource)? = nil,
  report: (Session.Progress) -> Void
) throws {
  for refusal in session.refusedCheckpoints { printNow("refused \(refusal); using an older checkpoint") }
  printNow(header)
  printNow(learnerPrecisionLine(session.configuration))
  let (stop, interrupt) = stopOnInterrupt()
  defer { interrupt.cancel() }
  do {
    try session.train(budget: budget, stop: stop, source: source, report: report)
  } catch {
    throw fail("training stopped: \(error)")
  }
  print("\n" + session.savedSummary)
}
