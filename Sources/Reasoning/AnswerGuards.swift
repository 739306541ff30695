/// What the session holds an answer to against its thoughts, per turn (DECISIONS.md 2026-11-30):
/// the refusal gate (a flagged request, or a declining first sentence of the thoughts, is the whole answer) and the
/// correction (an answer that ends without the result its finished thoughts reached says it first).
public struct AnswerGuards: Sendable {
  /// Whether the thoughts' first sentence declines; the writer waits until it is known.
  var gate = RefusalGate.undecided
  /// The refusal was queued as the whole answer: end once it is said.
  var endAfterBridge = false
  /// The thinker ended its thoughts itself (not at a budget): their last result is its result.
  public var thoughtsConcluded = false
  /// The request check's reading: the input (thinker's input block tokens) it read, and whether it
  /// flagged the request.
  var requestChecked: (inputTokens: Int, flagged: Bool)? = nil
  /// The user completed a sentence since the check last read the input: it reads it before the
  /// next step, in one pass with the scaffolding that step re-encodes.
  var requestCheckDue = false
  /// The answer said the correction this turn.
  public private(set) var correctionSaid = false

  public init() {}

  /// The thoughts start over or reopen: their result is not known; nor, while the writer has not
  /// started, is the gate.
  mutating func thoughtsChanged(writerStarted: Bool) {
    thoughtsConcluded = false
    if !writerStarted && !endAfterBridge { gate = .undecided }
  }

  /// The correction to say before the answer ends (`template` with `{result}` replaced), when the
  /// finished thoughts reached a result the answer's numbers miss; or `missing` with the result when
  /// the answer states no number where one was asked for (`Grounding.omitsAskedNumber`) or says
  /// only numbers the user said; once per turn.
  public mutating func correction(template: String?, missing: String?, thoughts: String, heard: String, answer: String) -> String?
  {
    guard !correctionSaid, thoughtsConcluded, let result = Grounding.result(ofThoughts: thoughts, heard: heard)
    else { return nil }
    let said = Grounding.values(in: answer)
    let chosen: String?
    if said.isEmpty {
      chosen = Grounding.omitsAskedNumber(answer: answer, heard: heard) ? missing : nil
    } else if said.contains(result) {
      chosen = nil
    } else {
      // Only the user's own numbers said back ("…60 km/h for 3 hours…"): the answer stopped before
      // any result, and "Let me correct that" would correct nothing.
      chosen = said.isSubset(of: Grounding.values(in: heard)) ? missing ?? template : template
    }
    guard let chosen else { return nil }
    correctionSaid = true
    return chosen.replacingOccurrences(of: "{result}", with: result)
  }
}
