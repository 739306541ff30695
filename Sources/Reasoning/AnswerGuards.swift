/// What the session holds an answer to against its thoughts, per turn (DECISIONS.md 2026-11-30):
/// the refusal gate (a flagged request, or a declining first sentence of the thoughts, is the whole answer) and the
/// correction (an answer that ends without the result its finished thoughts reached says it first).
struct AnswerGuards {
  /// Whether the thoughts' first sentence declines; the writer waits until it is known.
  var gate = RefusalGate.undecided
  /// The refusal was queued as the whole answer: end once it is said.
  var endAfterBridge = false
  /// The thinker ended its thoughts itself (not at a budget): their last result is its result.
  var thoughtsConcluded = false
  /// The request check's reading: the input (thinker's input block tokens) it read, and whether it
  /// flagged the request.
  var requestChecked: (inputTokens: Int, flagged: Bool)? = nil
  /// The answer said the correction this turn.
  private(set) var correctionSaid = false

  /// The thoughts start over or reopen: their result is not known; nor, while the writer has not
  /// started, is the gate.
  mutating func thoughtsChanged(writerStarted: Bool) {
    thoughtsConcluded = false
    if !writerStarted && !endAfterBridge { gate = .undecided }
  }

  /// The correction to say before the answer ends (`template` with `{result}` replaced), when the
  /// finished thoughts reached a result the answer's numbers miss; once per turn.
  mutating func correction(template: String?, thoughts: String, heard: String, answer: String) -> String? {
    guard !correctionSaid, let template, thoughtsConcluded,
      let result = Grounding.result(ofThoughts: thoughts, heard: heard)
    else { return nil }
    let said = Grounding.values(in: answer)
    guard !said.isEmpty, !said.contains(result) else { return nil }
    correctionSaid = true
    return template.replacingOccurrences(of: "{result}", with: result)
  }
}
