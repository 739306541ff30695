import Foundation
import Transformer

/// The engine side: one batched step of the streams the policy names, and what each sampled token
/// does (thoughts, answer, speech, the grounding rules).
extension ReasoningSession {
  /// One step: room checked, the policy's preparation performed (scaffolding, reminder), the
  /// writer's pending bridge fed, then one forward of the stepping rows, sampled and accepted.
  func step(thinker doT: Bool, writer doW: Bool) {
    // Until the gate knows whether the thoughts decline, a writer step is a thinker step.
    var (doT, doW, gateOnly) = (doT, doW, false)
    if doW && writer.sampled.isEmpty { gateOnRequest() }
    if doW && gateWaits {
      if writesWhileGateWaits {
        speech.holding = true  // the writer steps too; nothing it writes is said before the gate decides
        (doT, gateOnly) = (true, !doT)
      } else {
        (doT, doW, gateOnly) = (true, false, !doT)
      }
    }
    if doW { queueRefusal() }
    if streamsFull(thinker: doT, writer: doW, reminder: doT && thinkerAtBoundary ? pendingReminder.count : 0) { return }
    let preparation = policy.preparation(thinker: doT, writer: doW, facts)
    listening.sentenceJustCompleted = false
    if guards.requestCheckDue { checkRequest(alongside: preparation) }
    defer { if doT { thinkerReopened = false } }
    writerWasActive = doW
    preparation.forEach(perform)
    if doW && !pendingBridge.isEmpty {
      feedBridge()
      if guards.endAfterBridge {
        if let c = speech.flush(at: clock.now) { send(.spoken(c.text, start: c.start, duration: c.duration)) }
        applyPolicy(.stepped(thinker: nil, writer: ReasoningPolicy.TokenFlags(endOfTurn: true)))
        return
      }
    }
    var tokens: [Int32] = []
    var views: [[BlockID]] = []
    if doT { tokens.append(thinker.pending); views.append(layout.thinkerView) }
    if doW { tokens.append(writer.pending); views.append(layout.writerView) }
    let t0 = Date()
    let model = engine.model
    model.forward(tokens: tokens, views: views, store: layout.store, logitsFor: Array(0..<tokens.count))
    steps += 1
    var tFlags: ReasoningPolicy.TokenFlags? = nil
    var wFlags: ReasoningPolicy.TokenFlags? = nil
    if doT {
      let (next, blocked) = thinker.sample(model.logits(0), digits: self.tokens.digits)
      blockedTokens += blocked
      tFlags = thoughtsLoop(with: next) ? ReasoningPolicy.TokenFlags(endOfThinking: true) : accept(next, into: thinker)
    }
    if doW { wFlags = sampleWriter(model.logits(doT ? 1 : 0)) }
    meter.book(rows: tokens.count, since: t0)
    if doT { decideGate(thoughtsEnded: tFlags?.endOfThinking == true) }
    if speech.holding && !gateWaits { settleHeldAnswer() }
    applyPolicy(.stepped(thinker: gateOnly ? nil : tFlags, writer: wFlags))
  }

  /// The writer steps while the gate waits (`PolicyOptions.writeWhileGateWaits`): async, while it
  /// trails the thoughts (an end it writes then is held, so the answer cannot end unsaid).
  private var writesWhileGateWaits: Bool {
    policy.options.writeWhileGateWaits && policy.options.strategy == .async && writerTrailsThoughts
  }

  /// The gate decided while the writer's speech was held: a clear gate lets it be said from now; a
  /// refusal drops what the writer wrote (never heard), and the refusal is said instead (at the
  /// writer's next step; an answer that ended while the gate waited says nothing).
  func settleHeldAnswer() {
    guard case .refuse = guards.gate else {
      if let c = speech.release(at: clock.now, closing: !policy.mode.writes) {
        send(.spoken(c.text, start: c.start, duration: c.duration))
      }
      return
    }
    speech.retract(speech.pendingTokens)
    speech.holding = false
    let dropped = writer.sampled.count
    truncateWriter(keepTokens: 0)
    if dropped > 0 {
      send(.notice("the gate declines: the \(dropped) answer tokens written while it waited are dropped unheard"))
      send(.truncated(.writer, dropped: dropped))
    }
  }

  /// Samples and accepts the writer's token; after an end held back while the thoughts went on it
  /// may not end before one more sentence (`mustGoOn`), and a number it may not say yet is taken
  /// back (`takeBack`).
  private func sampleWriter(_ logits: UnsafeMutableBufferPointer<Float>) -> ReasoningPolicy.TokenFlags {
    if answer.mustGoOn && policy.mode == .speaking && policy.options.endAtResult && guards.thoughtsConcluded
      && Grounding.answerStates(resultOf: thoughtText, heard: listening.text, answer: answer.text)
    {
      answer.mustGoOn = false  // the answer said what the thoughts concluded: it may end
    }
    let goOn = answer.mustGoOn && (policy.mode == .speaking || (policy.mode == .thinkingAndSpeaking && thoughtsAhead))
    if goOn { writer.sampler.forbidden.formUnion(tokens.endOfTurn) }
    let (next, blocked) = writer.sample(logits, digits: tokens.digits)
    if goOn { writer.sampler.forbidden.subtract(tokens.endOfTurn.subtracting(forbiddenEndOfTurn)) }
    blockedTokens += blocked
    let flags = accept(next, into: writer)
    if goOn && flags.sentenceEnd { answer.mustGoOn = false }
    if let h = answer.held {
      takeBack(keep: h.keep, value: h.value)
      answer.held = nil
    }
    return endingLoop(flags)
  }

  /// A writer that says the same tokens a third time in a row while only speaking is in a loop
  /// (`Repetition`): its answer ends there, after the correction when one is due
  /// (`PolicyOptions.endLoops`).
  private func endingLoop(_ flags: ReasoningPolicy.TokenFlags) -> ReasoningPolicy.TokenFlags {
    guard policy.options.endLoops, policy.mode == .speaking, !flags.held, !flags.endOfTurn, pendingBridge.isEmpty,
      let period = Repetition.loopPeriod(writer.sampled)
    else { return flags }
    send(.notice("the answer repeats itself (\(period) tokens, three times in a row): it ends"))
    if let correction = correctionDue() {
      pendingBridge = correction
      guards.endAfterBridge = true
      return flags
    }
    return ReasoningPolicy.TokenFlags(endOfTurn: true)
  }

  /// Thinker tokens a loop must fill before the thoughts end at it (`PolicyOptions.endThoughtLoops`):
  /// twice the writer's 24, so a sum written out term by term ("5 + 5 + 5 + …") has room.
  public static let thoughtLoopTokens = 48

  /// The thinker's `next` token would make its thoughts say the same run of tokens a third time in
  /// a row (`Repetition`, at least `thoughtLoopTokens`): the token is not taken, and the thoughts
  /// end as if the thinker had ended them (a note says so). They have not concluded: no result is
  /// read from them for a correction.
  private func thoughtsLoop(with next: Int32) -> Bool {
    guard policy.options.endThoughtLoops, !tokens.endOfThinking.contains(next), !tokens.endOfTurn.contains(next),
      let period = Repetition.loopPeriod(thinker.sampled + [next], minLength: Self.thoughtLoopTokens)
    else { return false }
    send(.notice("the thoughts repeat themselves (\(period) tokens, three times in a row): they end"))
    return true
  }

  /// While the thoughts go on, a writer whose end was held has more to say (`writerGoesOn`): the
  /// thoughts hold a number the listener has not heard, from the user or from the answer.
  private var thoughtsAhead: Bool {
    guard policy.options.writerGoesOn else { return false }
    let thoughts = engine.tokenizer.decode(thinker.sampled)
    return !Grounding.unheard(thoughts: thoughts, answer: answer.text, heard: listening.text).isEmpty
  }

  /// Before a step: each stepping row needs room for its pending prefill and one token in its
  /// block, and both views hold both streams, so each view must take what both rows add (the
  /// thinker's also the probe). A stream without room ends (a note, then the policy decides).
  private func streamsFull(thinker doT: Bool, writer doW: Bool, reminder: Int) -> Bool {
    let needT = doT ? 1 + reminder : 0
    let needW = doW ? 1 + pendingBridge.count : 0
    let fullT = doT && layout.room(layout.thinkerView, reserve: needW + probe.question.count) < needT
    let fullW = doW && layout.room(layout.writerView, reserve: needT) < needW
    guard fullT || fullW else { return false }
    for (full, kind) in [(fullT, StreamKind.thinker), (fullW, .writer)] where full {
      send(
        .notice(
          "\(kind.rawValue) stopped: no room left (its block \(layout.fill(kind)) tokens, context \(engine.model.maxContext))"))
    }
    applyPolicy(.streamFull(thinker: fullT, writer: fullW))
    return true
  }

  /// The pending reminder joins the thoughts (fed with the thinker's pending token; a reopened
  /// thinker's paragraph break already starts its line).
  func insertReminder() {
    let tok = engine.tokenizer
    let t0 = Date()
    var shown = ""
    if thinkerReopened {  // the paragraph token already breaks the line
      let trimmed = String(pendingReminderText.drop { $0 == "\n" })
      if !trimmed.isEmpty { pendingReminder = tok.encodePlain(trimmed) }
      shown = tok.decode([thinker.pending])
    }
    engine.model.prefill(
      [thinker.pending] + pendingReminder.dropLast(), view: layout.thinkerView, store: layout.store, wantLogits: false)
    meter.book(prefill: pendingReminder.count, since: t0)
    thinker.pending = pendingReminder.last!
    shown += tok.decode(pendingReminder)
    thoughtText += shown
    send(.token(.thinker, shown))
    pendingReminder = []
  }

  /// The writer's bridge after an interjection ("Sorry, …"), fed and accepted as its own tokens.
  private func feedBridge() {
    let t0 = Date()
    engine.model.prefill(
      [writer.pending] + pendingBridge.dropLast(), view: layout.writerView, store: layout.store, wantLogits: false)
    meter.book(prefill: pendingBridge.count, since: t0)
    for id in pendingBridge { _ = accept(id, into: writer) }
    writer.endsNumber(engine.tokenizer.decode(pendingBridge))  // "the answer is 11", not "110"
    pendingBridge = []
  }

  /// The thinker is at a line boundary (where a reminder may go).
  var thinkerAtBoundary: Bool {
    if thinkerReopened { return true }
    guard let last = thinker.sampled.last else { return true }
    return String(decoding: engine.tokenizer.bytes(of: last), as: UTF8.self).contains("\n")
  }

  /// A sampled token joins its stream: its text becomes thoughts, or answer and speech (unless the
  /// grounding rules hold it back); the flags tell the policy what it was.
  private func accept(_ id: Int32, into s: TokenStream) -> ReasoningPolicy.TokenFlags {
    let endTurn = tokens.endOfTurn.contains(id)
    let endThink = tokens.endOfThinking.contains(id)
    var flags = ReasoningPolicy.TokenFlags(endOfTurn: endTurn && s.kind == .writer, endOfThinking: endThink)
    if s.kind == .writer && endTurn && writerTrailsThoughts {
      answer.held = (s.sampled.count, "")  // nothing to take back but the end's feeding
      answer.mustGoOn = true
      return ReasoningPolicy.TokenFlags(held: true)
    }
    if s.kind == .writer && endTurn, let correction = correctionDue() {
      pendingBridge = correction  // the end is not fed: the correction follows the last word
      return ReasoningPolicy.TokenFlags()
    }
    if s.kind == .thinker && endThink { guards.thoughtsConcluded = true }
    if endTurn || endThink { return flags }
    let tok = engine.tokenizer
    let text = s.append(id, bytes: tok.bytes(of: id))
    let tail = tok.decode(Array(s.sampled.suffix(2)))
    flags.paragraphEnd = tail.hasSuffix("\n\n")
    flags.lineEnd = text.contains("\n")
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    flags.sentenceEnd = trimmed.hasSuffix(".") || trimmed.hasSuffix("?") || trimmed.hasSuffix("!")
    if s.kind == .thinker {
      thoughtText += text
    } else {
      if writerTrailsThoughts,
        let h = answer.ungroundedNumber(
          adding: text, sampled: s.sampled.count, heard: listening.text, thoughts: tok.decode(thinker.sampled),
          pendingSpeech: speech.pendingTokens)
          ?? answer.ungroundedChoice(
            adding: text, sampled: s.sampled.count, thoughts: tok.decode(thinker.sampled), pendingSpeech: speech.pendingTokens)
      {
        answer.held = h
        flags.held = true
        return flags
      }
      answer.append(text)
      if let c = speech.write(text, at: clock.now) { send(.spoken(c.text, start: c.start, duration: c.duration)) }
    }
    if !text.isEmpty { send(.token(s.kind, text)) }
    calculate(s, text: text)
    return flags
  }

  /// The grounding rules apply: the writer speaks while the thoughts still go on. Then it may not
  /// end its answer (the answer is not over before the thinking is; DECISIONS.md 2026-11-30), nor
  /// finish a number the thoughts have not reached (`WrittenAnswer.ungroundedNumber`).
  private var writerTrailsThoughts: Bool { policy.options.groundNumbers && policy.mode == .thinkingAndSpeaking }

  /// Takes back the writer's tokens from `keep` on (the last was never shown or spoken); with
  /// `keep` = all, only the last token's feeding (an end of turn that came too soon).
  private func takeBack(keep: Int, value: String) {
    let shown = max(0, writer.sampled.count - 1 - keep)
    speech.retract(shown)
    truncateWriter(keepTokens: keep)
    answer.markChecked()
    send(.held(value: value, dropped: shown))
  }

  /// Keeps the writer's first `k` answer tokens (cache, stream, text).
  func truncateWriter(keepTokens k: Int) {
    writer.truncate(keep: k, store: layout.store)
    answer.truncate(keep: k, decoded: engine.tokenizer.decode(writer.sampled))
  }

  /// Empties the thinker's stream (an event tells the views).
  func restartThinker() {
    let dropped = thinker.sampled.count
    thinker.restart(store: layout.store)
    thinkerReopened = false
    guards.thoughtsChanged(writerStarted: !writer.sampled.isEmpty)
    pendingReminder = []  // a note for the old thoughts; the input holds the words
    layout.thoughtsRestarted()  // the writer's split follows the thoughts
    send(.truncated(.thinker, dropped: dropped))
    applyPolicy(.thoughtsRestarted)
  }

  /// Reopened: the end token was never fed; go on from a new paragraph, where the reminder (an
  /// interjection's) or the continuation note (the words heard since) goes.
  func reopenThinker() {
    thinker.pending = tokens.paragraph
    thinkerReopened = true
    if let note = prompts.continuation, policy.userSpeaking {
      setReminder(note.replacingOccurrences(of: "{text}", with: listening.sinceThoughtsEnded))
    }
  }
}
