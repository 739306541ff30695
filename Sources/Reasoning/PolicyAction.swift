/// What the driver should do next: `ReasoningPolicy.nextAction` gives one of the first four; the
/// policy's other decisions (before a step, when the user speaks, when thoughts reopen) give the
/// rest.
public enum PolicyAction: Equatable, Sendable {
  case wait  // nothing to compute until the user says something
  case step(thinker: Bool, writer: Bool)
  case probe
  case finish(String)
  /// Bring a stream's scaffolding up to date: its `mid` block when the input changed since it was
  /// encoded, its `split` block when the other stream grew (`CacheLayout`).
  case reencode(StreamKind)
  /// Measure the control probe's baseline on the input as it is now (off the path to the first word).
  case measureBaseline
  /// Put the pending reminder (an interjection's, or the continuation note) into the thoughts.
  case insertReminder
  /// The user speaks after a complete, fully spoken answer: the next turn begins.
  case startTurn
  /// Nobody speaks after a fully spoken answer: set up the next turn now.
  case prepareTurn
  /// The thoughts start over, on the whole question so far.
  case restartThoughts
  /// Ended thoughts go on from a new paragraph (the end token was never fed).
  case reopenThoughts
}
