import Foundation
import Transformer

/// The user's side: words heard, the end of the utterance, interjections.
extension ReasoningSession {
  /// A reminder quotes at most this many words of an interjection.
  static let reminderWords = 100
  /// The interjection's turn in the writer's split quotes at most this many tokens of the answer
  /// heard and of the interjections (the question keeps all of them); its block has room for them.
  static let interjectionTurnTokens = (heard: 120, said: 80)
  static let interjectionTurnRoom = interjectionTurnTokens.heard + interjectionTurnTokens.said
  /// Thoughts and answer tokens the context keeps free after a full input.
  public static let streamReserve = 256

  /// A word the user said (appended to the input block as it arrives).
  public func hear(_ word: String) {
    if let a = policy.userSpeaks(at: clock.now, endOfSpeech: speech.endOfSpeech, nextTurnPrepared: history.nextTurnPrepared) {
      perform(a)
    }
    appendInput(listening.hear(word))
    send(.heard(word))
    let complete = HeardWords.endsSentence(word)
    if complete { listening.sentenceCompleted() }
    applyPolicy(.heardWords(sentenceComplete: complete))
    if complete,
      let a = policy.sentenceCompleted(
        restartOnNewSentence: prompts.restartThoughtsOnNewSentence == true, hasThoughts: !thinker.sampled.isEmpty,
        namesOnlyWhatToFind: HeardWords.endsQuestion(word) && !listening.lastSentenceSaysNumber)
    {
      perform(a)
    }
    // The check reads the sentence in one pass with the scaffolding the next thinker step
    // re-encodes; with no such step next (no-think, thoughts over) it reads it now, in the user's
    // time.
    if complete {
      if case .step(thinker: true, _) = policy.nextAction() { guards.requestCheckDue = true } else { checkRequest() }
    }
  }

  /// The user stopped speaking at `saidAt` (nil: now): the listener waits from then, even when
  /// the engine, busy with a prefill, hears it later (DelayMetrics; DECISIONS.md, session 20).
  public func endOfUtterance(saidAt: Double? = nil) {
    endOfUtteranceTime = saidTime(saidAt)
    speech.reset(at: clock.now)
    send(.endOfUtterance)
    applyPolicy(.endOfUtterance)
  }

  /// When the user said what the engine hears now: `saidAt` (nil: now), never later than now.
  private func saidTime(_ saidAt: Double?) -> Double { min(saidAt ?? clock.now, clock.now) }

  /// The user interrupts: unheard answer text is undone, the words join the input. After a
  /// complete, fully spoken answer, typed text is the next question instead.
  public func interject(_ text: String, saidAt: Double? = nil) {
    if policy.userSpeaks(at: clock.now, endOfSpeech: speech.endOfSpeech, nextTurnPrepared: history.nextTurnPrepared) != nil {
      for w in text.split(separator: " ") { hear(String(w)) }
      endOfUtterance(saidAt: saidAt)
      return
    }
    let now = clock.now  // one time for the event and the cut: a recording's reader cuts where the engine did
    send(.interjection(text), at: now)
    let dropped = speech.cut(at: now)
    if dropped > 0 {
      truncateWriter(keepTokens: max(0, writer.sampled.count - dropped))
      send(.truncated(.writer, dropped: dropped))
    }
    let heard = answer.text.trimmingCharacters(in: .whitespacesAndNewlines)  // after the cut: what was heard
    if prompts.restartAnswerOnInterjection == true && !writer.sampled.isEmpty {
      truncateWriter(keepTokens: 0)  // heard, so no event: the views keep it as said
    }
    appendInput("\n" + text)
    listening.interjection(text)
    if !heard.isEmpty { heardBeforeInterjection = heard }
    // The turn quotes what was heard when an interjection last cut the answer, and every
    // interjection of the turn (a second one before anything new was said joins the first).
    if let turn = prompts.interjectionTurn, prompts.restartAnswerOnInterjection == true, !heardBeforeInterjection.isEmpty {
      let split =
        layout.baseWriterSplitTokens
        + encodeTurn(turn, heard: heardBeforeInterjection, text: listening.interjections.joined(separator: " "))
      let fits = layout.setWriterSplit(split)
      assert(fits, "the writer's split block is sized for the turn")
    }
    // The reminder quotes at most `reminderWords` words: it goes into the thinker's own block.
    setReminder(prompts.reminder.replacingOccurrences(of: "{text}", with: Self.clip(text, words: Self.reminderWords)))
    if let b = prompts.writerBridge, !writer.sampled.isEmpty { pendingBridge = engine.tokenizer.encodePlain(b) }
    endOfUtteranceTime = endOfUtteranceTime ?? saidTime(saidAt)
    speech.reset(at: clock.now)
    finishedEmitted = false
    writerWasActive = false  // the writer's scaffolding is re-encoded with the new words
    applyPolicy(.interjection)
  }

  /// True when the user finished a question and its answer is complete and fully spoken (or the
  /// next turn is already prepared): what the user says next is a new turn.
  public func turnIsOver(at t: Double) -> Bool {
    policy.userSpeaks(at: t, endOfSpeech: speech.endOfSpeech, nextTurnPrepared: history.nextTurnPrepared) != nil
  }

  /// Appends heard text to both input blocks. Past their room (the blocks' capacity, or the context
  /// limit less what follows the input) the rest of the turn's words are not heard: one note per
  /// turn says so, and the turn goes on with the words that fit.
  func appendInput(_ text: String) {
    var ids = engine.tokenizer.encodePlain(text)
    guard !ids.isEmpty, !listening.inputCut else { return }  // once cut, the turn's later words stay out
    let fit = layout.inputRoom(streamReserve: Self.streamReserve)
    if ids.count > fit {
      send(
        .notice(
          "input full: the model hears the first \(layout.inputLengths.thinker + fit) tokens of this turn (input block \(layout.inputCapacity) tokens, context \(engine.model.maxContext)); later words are not heard"
        ))
      listening.inputCut = true
      ids = Array(ids.prefix(fit))
      guard !ids.isEmpty else { return }
    }
    layout.appendInput(ids)
  }

  /// An interjection's turn as tokens: the template's own text encoded with its special tokens, the
  /// user's and the answer's words as plain text (typed words never become control tokens), each
  /// cut to its share of the block's room (`interjectionTurnTokens`).
  func encodeTurn(_ template: String, heard: String, text: String) -> [Int32] {
    let tok = engine.tokenizer
    let room = Self.interjectionTurnTokens
    var ids: [Int32] = []
    var rest = Substring(template)
    while let r = rest.range(of: #"\{(heard|text)\}"#, options: .regularExpression) {
      ids += tok.encode(String(rest[..<r.lowerBound]))
      let heardSlot = rest[r] == "{heard}"
      ids += tok.encodePlain(heardSlot ? heard : text).prefix(heardSlot ? room.heard : room.said)
      rest = rest[r.upperBound...]
    }
    return ids + tok.encode(String(rest))
  }

  /// The first `words` words of `text` (and " …" when there were more).
  static func clip(_ text: String, words: Int) -> String {
    let w = text.split(whereSeparator: \.isWhitespace)
    return w.count > words ? w.prefix(words).joined(separator: " ") + " …" : text
  }

  /// A note for the thinker's stream, put in at its next line boundary.
  func setReminder(_ text: String) {
    pendingReminderText = text
    pendingReminder = engine.tokenizer.encodePlain(text)
  }
}
