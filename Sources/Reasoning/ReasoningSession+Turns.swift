import Foundation

/// Turns: the finished turn joins the history as it was heard, and the next one starts afresh.
extension ReasoningSession {
  /// Starts the next turn (the user speaks again after an answer): the finished turn joins the
  /// history as it was heard (question and the spoken part of the answer, not the thoughts), the
  /// oldest turns are dropped past the history limit, and the streams start afresh.
  public func startTurn() {
    if history.nextTurnPrepared {  // done while idle after the answer (`prepareNextTurn`)
      history.nextTurnPrepared = false
      send(.turn(index: history.index, droppedTurns: history.preparedDrops))  // the turn begins now
    } else {
      setUpNextTurn(announce: true)
    }
  }

  /// While nobody speaks after a fully spoken answer, sets up the next turn now (the history
  /// prefill is then off the path to the next answer's first word). Returns true if it did work.
  @discardableResult
  public func prepareNextTurn() -> Bool {
    guard policy.idle(at: clock.now, endOfSpeech: speech.endOfSpeech, nextTurnPrepared: history.nextTurnPrepared) == .prepareTurn
    else { return false }
    history.preparedDrops = setUpNextTurn(announce: false)
    history.nextTurnPrepared = true
    return true
  }

  /// The work of a new turn; `announce` sends the `turn` event (not when prepared ahead).
  /// Returns how many of the oldest turns were dropped.
  @discardableResult
  func setUpNextTurn(announce: Bool) -> Int {
    let tok = engine.tokenizer
    let heard = speech.heardTokens(at: clock.now)
    let spoken = tok.decode(Array(writer.sampled.prefix(heard))).trimmingCharacters(in: .whitespacesAndNewlines)
    if endOfUtteranceTime != nil { history.lastTurn = (answer.text.trimmingCharacters(in: .whitespacesAndNewlines), metrics) }
    let (ids, dropped) = history.close(
      question: listening.text, spoken: spoken, room: layout.historyRoom(limit: history.tokenLimit),
      encode: { tok.encodePlain(self.prompts.historyText($0)) })
    if announce { send(.turn(index: history.index, droppedTurns: dropped)) }
    layout.startTurn(history: ids)
    thinker.restart(store: layout.store)
    writer.restart(store: layout.store)
    probe.forgetBaseline()
    answer = WrittenAnswer()
    guards = AnswerGuards()
    thoughtText = ""
    listening = HeardWords()
    pendingReminder = []
    pendingBridge = []
    heardBeforeInterjection = ""
    endOfUtteranceTime = nil
    finishedEmitted = false
    writerWasActive = false
    policy = ReasoningPolicy(options: policy.options)
    speech = SpeechClock(
      wordsPerMinute: speech.wordsPerMinute, tokensPerChunk: speech.tokensPerChunk, durations: speech.durations)
    return dropped
  }
}
