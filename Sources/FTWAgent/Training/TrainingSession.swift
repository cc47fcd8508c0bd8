/// A run that trains until its budget is spent: one agent's (``Trainer``) or a population's
/// (``PopulationTrainer``). The command line drives both through this.
///
/// ```swift
/// func run<Session: TrainingSession>(_ session: Session) throws {
///   try session.train(budget: TrainingBudget(minutes: 30), stop: StopSignal(), source: nil) { print($0) }
///   print(session.savedSummary)
/// }
/// ```
public protocol TrainingSession: AnyObject {
  /// The members' training configuration.
  var configuration: TrainingConfiguration { get }
  /// Checkpoints refused on resuming (damaged or half-written), with the reason.
  var refusedCheckpoints: [CheckpointError] { get }
  /// The frames trained on so far, over the whole run (every member's).
  var framesTrained: Int { get }
  /// Where the run was saved, in words: "saved checkpoint at 20000 frames in runs/a/checkpoints".
  var savedSummary: String { get }
  /// Trains until the budget is spent or `stop` is raised, then checkpoints; experience comes from
  /// `source` when given, else from actor threads the session starts.
  func train(
    budget: TrainingBudget, stop: StopSignal, source: (any ExperienceSource)?,
    report: (TrainingProgress) -> Void
  ) throws
}

extension Trainer: TrainingSession {
  public var framesTrained: Int { frames }
  public var savedSummary: String { "saved checkpoint at \(frames) frames in \(run.checkpoints.url.path)" }
}

extension PopulationTrainer: TrainingSession {
  public var framesTrained: Int { state.frames }
  public var savedSummary: String { "saved the population at \(state.frames) frames in \(run.url.path)" }
}
