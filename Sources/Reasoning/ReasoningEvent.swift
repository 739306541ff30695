/// One thing that happened, as consumed by the recorder, the metrics and the interface.
public enum ReasoningEvent: Equatable, Sendable {
  case heard(String)
  case endOfUtterance
  case interjection(String)
  case token(StreamKind, String)
  case mode(Mode, reason: String)
  case probe(pYes: Double, pNo: Double, yes: Bool)
  case truncated(StreamKind, dropped: Int)
  /// The writer took back its last `dropped` tokens before any was spoken: they finished the
  /// number `value`, which neither the user nor the thoughts have said yet (the grounding rule);
  /// `value` empty: it would have ended the answer while the thoughts go on. It writes again
  /// once the thoughts grow.
  case held(value: String, dropped: Int)
  /// A chunk of the answer handed to the speaking model at the event's time, said from `start`
  /// for `duration` seconds (the engine's speech clock): every reader takes the schedule from here.
  case spoken(String, start: Double, duration: Double)
  case finished(String)
  /// A new turn began (the user spoke after a complete answer); the oldest turns beyond the
  /// history limit were dropped.
  case turn(index: Int, droppedTurns: Int)
  /// A limit was reached and what the session did about it (input cut, a stream stopped, a run
  /// stopped at its time limit), shown to the user as a note.
  case notice(String)
  /// The cache layout changed (blocks, lengths, offsets per view, the blocks being written;
  /// `LayoutReporter` decides when): what the cache-map view draws.
  case layout(CacheMap)
}
