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
    if s.kind == .writer && policy.options.groundComputed { answer.noteComputed(result) }
    send(.notice("calculator: \(result.trimmingCharacters(in: .whitespaces))"))
  }

  var gateActive: Bool { policy.options.refusalGate && prompts.refusalMarkers != nil }
  /// The writer may not step yet: the gate has not decided.
  var gateWaits: Bool { gateActive && guards.gate == .undecided && !guards.endAfterBridge }

  /// Reads the request with the set's check (`PromptSet.requestCheck`), once per input, until the
  /// answer starts: after each sentence the user completes, before the next step (off the path to
  /// the first word while the user is still speaking), in one pass with the thinker's and the
  /// writer's mids when `preparation` re-encodes them; and before the writer's first step if the
  /// input grew since. The gate reads the result (`requestFlagged`).
  func checkRequest(alongside preparation: [PolicyAction] = []) {
    guards.requestCheckDue = false
    guard gateActive, let check = requestCheck, prompts.refusalClose != nil, writer.sampled.isEmpty, !guards.endAfterBridge
    else { return }
    let input = layout.inputLengths.thinker
    guard input > 0, guards.requestChecked?.inputTokens != input else { return }
    let thinkerMid = preparation.contains(.reencode(.thinker)) || preparation.contains(.measureBaseline)
    let a = check.ask(
      view: layout.requestView, withStaleMids: thinkerMid && layout.thinkerContextStale,
      preparation.contains(.reencode(.writer)))
    let r = (logRatio: a.logRatio, flagged: check.says(a))
    guards.requestChecked = (input, r.flagged)
    send(.notice(String(format: "request check: log-odds %.2f, %@", r.logRatio, r.flagged ? "flagged" : "clear")))
  }

  /// Before the writer's first step: the request is read as it is now, and a flagged one is
  /// declined with the set's close (unless the thoughts already decline in their own words).
  func gateOnRequest() {
    checkRequest()
    guard requestFlagged, let close = prompts.refusalClose else { return }
    if case .refuse = guards.gate { return }
    guards.gate = .refuse(close)
  }

  /// The request check's reading of the input as it is now: log P(flag) − log P(clear) and whether
  /// it flags the request; nil when the set has none (`asyncvoice request-check`).
  public func requestCheckNow() -> (logRatio: Double, flagged: Bool)? {
    guard let check = requestCheck else { return nil }
    let a = check.ask(view: layout.requestView)
    return (a.logRatio, check.says(a))
  }

  /// The request check flagged the input as it is now.
  var requestFlagged: Bool {
    guards.requestChecked.map { $0.flagged && $0.inputTokens == layout.inputLengths.thinker } ?? false
  }

  /// Decides the gate on the request check and the thoughts so far, while it is undecided.
  func decideGate(thoughtsEnded: Bool) {
    guard gateActive, guards.gate == .undecided else { return }
    if requestFlagged, let close = prompts.refusalClose {
      guards.gate = .refuse(close)
      return
    }
    guards.gate = RefusalGate.decide(
      engine.tokenizer.decode(thinker.sampled), tokens: thinker.sampled.count, ended: thoughtsEnded,
      markers: prompts.refusalMarkers ?? [])
  }

  /// When the gate refuses, its sentence becomes the writer's bridge, and the answer ends after it.
  func queueRefusal() {
    guard case .refuse(let sentence) = guards.gate, !guards.endAfterBridge else { return }
    pendingBridge = engine.tokenizer.encodePlain(RefusalGate.spoken(sentence, close: prompts.refusalClose))
    guards.endAfterBridge = true
    send(
      .notice(
        sentence == prompts.refusalClose && requestFlagged
          ? "the request check declines: the answer is the set's close"
          : "the thoughts decline: the answer is their first sentence"))
  }

  /// The correction's tokens when the writer would end an answer that misses its finished
  /// thoughts' result (`AnswerGuards.correction`).
  func correctionDue() -> [Int32]? {
    guard policy.options.correctAnswers,
      let text = guards.correction(
        template: prompts.correction, missing: prompts.resultMissing, thoughts: thoughtText, heard: listening.text,
        answer: answer.text)
    else { return nil }
    send(.notice("the answer missed the thoughts' result: \(text.trimmingCharacters(in: .whitespaces))"))
    return engine.tokenizer.encodePlain(text)
  }
}
