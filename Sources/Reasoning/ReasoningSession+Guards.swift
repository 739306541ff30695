import Foundation

/// What holds the answer to its thoughts (DECISIONS.md 2026-11-30): the calculator in both
/// streams, the refusal gate, and the correction before an answer ends without the thoughts' result.
extension ReasoningSession {
  /// After a stream writes `… =` (or `… equals`), queues the calculator's result as its next tokens.
  func calculate(_ s: TokenStream, text: String) {
    guard policy.options.calculator, s.forced.isEmpty, Calculator.mayEnd(token: text) else { return }
    let written = s.kind == .thinker ? thoughtText : answer.text
    guard let result = Calculator.completion(after: String(written.suffix(240))) else { return }
    s.forced = engine.tokenizer.encodePlain(result)
    send(.notice("calculator: \(result.trimmingCharacters(in: .whitespaces))"))
  }

  var gateActive: Bool { policy.options.refusalGate && prompts.refusalMarkers != nil }
  /// The writer may not step yet: the gate has not decided.
  var gateWaits: Bool { gateActive && guards.gate == .undecided && !guards.endAfterBridge }

  /// Decides the gate on the thoughts so far, while it is undecided.
  func decideGate(thoughtsEnded: Bool) {
    guard gateActive, guards.gate == .undecided else { return }
    guards.gate = RefusalGate.decide(
      engine.tokenizer.decode(thinker.sampled), tokens: thinker.sampled.count, ended: thoughtsEnded,
      markers: prompts.refusalMarkers ?? [])
  }

  /// When the gate refuses, its sentence becomes the writer's bridge, and the answer ends after it.
  func queueRefusal() {
    guard case .refuse(let sentence) = guards.gate, !guards.endAfterBridge else { return }
    pendingBridge = engine.tokenizer.encodePlain(RefusalGate.spoken(sentence, close: prompts.refusalClose))
    guards.endAfterBridge = true
    send(.notice("the thoughts decline: the answer is their first sentence"))
  }

  /// The correction's tokens when the writer would end an answer that misses its finished
  /// thoughts' result (`AnswerGuards.correction`).
  func correctionDue() -> [Int32]? {
    guard policy.options.correctAnswers,
      let text = guards.correction(
        template: prompts.correction, thoughts: thoughtText, heard: listening.text, answer: answer.text)
    else { return nil }
    send(.notice("the answer missed the thoughts' result: \(text.trimmingCharacters(in: .whitespaces))"))
    return engine.tokenizer.encodePlain(text)
  }
}
