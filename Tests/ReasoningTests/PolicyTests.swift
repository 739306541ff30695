import Reasoning
import Testing

@Suite struct PolicyTests {
  typealias F = ReasoningPolicy.TokenFlags
  static let plain = F()

  func policy(_ s: PolicyOptions.Strategy = .async, _ tweak: (inout PolicyOptions) -> Void = { _ in }) -> ReasoningPolicy {
    var o = PolicyOptions()
    o.strategy = s
    o.probeInterval = 3
    o.probeAtEndMinThoughts = 3
    o.thoughtBudget = 10
    o.speakAfter = 10
    o.answerBudget = 6
    o.speakAfterLines = 0  // the plan-line rule has its own test
    tweak(&o)
    return ReasoningPolicy(options: o)
  }

  /// Feeds inputs, returning the action after each.
  func drive(_ p: inout ReasoningPolicy, _ inputs: [ReasoningPolicy.Input]) -> [PolicyAction] {
    inputs.map {
      p.observe($0); return p.nextAction()
    }
  }

  @Test func listensThenThinksOnTheFirstCompleteSentence() {
    var p = policy()
    #expect(p.nextAction() == .wait)
    #expect(drive(&p, [.heardWords(sentenceComplete: false)]) == [.wait])
    #expect(p.mode == .listening)
    #expect(drive(&p, [.heardWords(sentenceComplete: true)]) == [.step(thinker: true, writer: false)])
    #expect(p.mode == .thinking)
    // still speaking: no probe even after many thoughts
    let acts = drive(&p, Array(repeating: .stepped(thinker: Self.plain, writer: nil), count: 5))
    #expect(acts.allSatisfy { $0 == .step(thinker: true, writer: false) })
  }

  @Test func probesAtTheEndOfTheUtteranceWhenThoughtsExist() {
    var p = policy()
    _ = drive(&p, [.heardWords(sentenceComplete: true)] + Array(repeating: .stepped(thinker: Self.plain, writer: nil), count: 3))
    #expect(drive(&p, [.endOfUtterance]) == [.probe])
    var q = policy()
    #expect(drive(&q, [.heardWords(sentenceComplete: false), .endOfUtterance]).last == .step(thinker: true, writer: false))
  }

  @Test func waitsForTheEndWhenNotThinkingWhileListening() {
    var p = policy { $0.thinkWhileListening = false }
    #expect(drive(&p, [.heardWords(sentenceComplete: true)]) == [.wait])
    #expect(drive(&p, [.endOfUtterance]) == [.step(thinker: true, writer: false)])
  }

  @Test func probeYesStartsTheWriterAndParagraphEndPausesIt() {
    var p = policy()
    _ = drive(&p, [.heardWords(sentenceComplete: true), .endOfUtterance])
    let a = drive(
      &p,
      [
        .stepped(thinker: Self.plain, writer: nil), .stepped(thinker: Self.plain, writer: nil),
        .stepped(thinker: Self.plain, writer: nil),
      ])
    #expect(a == [.step(thinker: true, writer: false), .step(thinker: true, writer: false), .probe])
    #expect(drive(&p, [.probeAnswered(yes: true)]) == [.step(thinker: true, writer: true)])
    #expect(p.mode == .thinkingAndSpeaking)
    #expect(drive(&p, [.stepped(thinker: Self.plain, writer: F(paragraphEnd: true))]) == [.step(thinker: true, writer: false)])
    #expect(p.mode == .thinking)
  }

  @Test func probeNoKeepsThinkingAndStopsTheWriter() {
    var p = policy()
    _ = drive(&p, [.heardWords(sentenceComplete: true), .endOfUtterance])
    _ = drive(&p, [.stepped(thinker: F(paragraphEnd: true), writer: nil)])
    #expect(p.nextAction() == .probe)
    #expect(drive(&p, [.probeAnswered(yes: false)]) == [.step(thinker: true, writer: false)])
    _ = drive(&p, [.probeAnswered(yes: true)])
    #expect(p.mode == .thinkingAndSpeaking)
    _ = drive(&p, [.probeAnswered(yes: false)])
    #expect(p.mode == .thinking)
  }

  @Test func sentencePausesAreAnOption() {
    var p = policy { $0.pauseAtSentences = true }
    _ = drive(&p, [.heardWords(sentenceComplete: true), .endOfUtterance, .probeAnswered(yes: true)])
    #expect(p.mode == .thinkingAndSpeaking)
    _ = drive(&p, [.stepped(thinker: Self.plain, writer: F(sentenceEnd: true))])
    #expect(p.mode == .thinking)
    var q = policy { $0.pauseAtSentences = false }
    _ = drive(
      &q,
      [
        .heardWords(sentenceComplete: true), .endOfUtterance, .probeAnswered(yes: true),
        .stepped(thinker: Self.plain, writer: F(sentenceEnd: true)),
      ])
    #expect(q.mode == .thinkingAndSpeaking)
  }

  @Test func thoughtsEndedOnPartOfTheQuestionReopenOnTheNextSentence() {
    var p = policy()
    _ = drive(&p, [.heardWords(sentenceComplete: true), .stepped(thinker: F(endOfThinking: true), writer: nil)])
    #expect(p.thoughtsEnded)
    #expect(p.nextAction() == .wait)  // ended while the user speaks: wait, never speak over them
    _ = drive(&p, [.heardWords(sentenceComplete: false)])
    #expect(p.thoughtsEnded)  // half a sentence changes nothing yet
    #expect(drive(&p, [.heardWords(sentenceComplete: true)]) == [.step(thinker: true, writer: false)])
    #expect(!p.thoughtsEnded)
  }

  @Test func anInterjectionReopensEndedThoughts() {
    var p = policy()
    _ = drive(&p, [.heardWords(sentenceComplete: true), .endOfUtterance, .stepped(thinker: F(endOfThinking: true), writer: nil)])
    #expect(p.mode == .speaking)
    #expect(drive(&p, [.interjection]) == [.step(thinker: true, writer: false)])
    #expect(p.mode == .thinking && !p.thoughtsEnded)
  }

  @Test func thinkModeWaitsForItsBudgetAsyncForSpeakAfter() {
    var think = policy(.think) {
      $0.thoughtBudget = 30; $0.speakAfter = 5; $0.probeInterval = 1000
    }
    var async = policy(.async) {
      $0.thoughtBudget = 30; $0.speakAfter = 5; $0.probeInterval = 1000
    }
    _ = drive(&think, [.heardWords(sentenceComplete: true), .endOfUtterance])
    _ = drive(&async, [.heardWords(sentenceComplete: true), .endOfUtterance])
    for _ in 0..<5 {
      _ = drive(&think, [.stepped(thinker: Self.plain, writer: nil)])
      _ = drive(&async, [.stepped(thinker: Self.plain, writer: nil)])
    }
    #expect(async.mode == .thinkingAndSpeaking)
    #expect(think.mode == .thinking)
    for _ in 0..<25 { _ = drive(&think, [.stepped(thinker: Self.plain, writer: nil)]) }
    #expect(think.mode == .speaking)
  }

  @Test func endOfThinkingHandsOverToSpeakingOnly() {
    var p = policy()
    _ = drive(&p, [.heardWords(sentenceComplete: true), .endOfUtterance])
    #expect(drive(&p, [.stepped(thinker: F(endOfThinking: true), writer: nil)]) == [.step(thinker: false, writer: true)])
    #expect(p.mode == .speaking)
  }

  @Test func thoughtBudgetStartsSpeakingWhenTheProbeNeverSaysYes() {
    var p = policy { $0.probeInterval = 1000 }
    _ = drive(&p, [.heardWords(sentenceComplete: true), .endOfUtterance])
    for _ in 0..<9 { _ = drive(&p, [.stepped(thinker: Self.plain, writer: nil)]) }
    #expect(p.mode == .thinking)
    _ = drive(&p, [.stepped(thinker: Self.plain, writer: nil)])
    #expect(p.mode == .thinkingAndSpeaking)
  }

  @Test("a writer the bound started is heard before the next probe; the interval counts from its first spoken words")
  func firstWordBeforeProbe() {
    let thought = ReasoningPolicy.Input.stepped(thinker: Self.plain, writer: nil)
    let both = ReasoningPolicy.Input.stepped(thinker: Self.plain, writer: Self.plain)
    func started(_ on: Bool) -> (ReasoningPolicy, PolicyAction) {
      var p = policy {
        $0.probeInterval = 10; $0.probeAtLinesAfter = 0; $0.answerBudget = 100; $0.firstWordBeforeProbe = on
      }
      _ = drive(&p, [.heardWords(sentenceComplete: true), .endOfUtterance])
      let last = drive(&p, Array(repeating: thought, count: 10)).last!
      return (p, last)
    }
    var (p, next) = started(true)
    #expect(p.mode == .thinkingAndSpeaking && next == .step(thinker: true, writer: true))
    // The refusal gate keeps the writer waiting (thinker-only steps): neither a paragraph of
    // thoughts nor the interval calls the probe before the first word.
    let waiting = drive(&p, [.stepped(thinker: F(paragraphEnd: true), writer: nil)] + Array(repeating: thought, count: 12))
    #expect(waiting.allSatisfy { $0 == .step(thinker: true, writer: true) }, "\(waiting)")
    // Written but not yet spoken (the first chunk ends in a number): still no probe.
    let written = drive(&p, Array(repeating: both, count: 12))
    #expect(written.allSatisfy { $0 == .step(thinker: true, writer: true) }, "\(written)")
    let speaking = drive(&p, [.answerSpoken] + Array(repeating: both, count: 10))
    #expect(speaking.dropLast().allSatisfy { $0 == .step(thinker: true, writer: true) } && speaking.last == .probe)
    var (off, due) = started(false)
    #expect(off.mode == .thinkingAndSpeaking && due == .probe)  // due on the same step: before the first word
    _ = drive(&off, [.probeAnswered(yes: true)])
    #expect(drive(&off, [.stepped(thinker: F(paragraphEnd: true), writer: nil)]) == [.probe])
  }

  @Test func answerBudgetAndEndOfTurnFinish() {
    var p = policy(.nothink)
    _ = drive(&p, [.heardWords(sentenceComplete: true), .endOfUtterance])
    #expect(p.nextAction() == .step(thinker: false, writer: true))
    for _ in 0..<5 { _ = drive(&p, [.stepped(thinker: nil, writer: Self.plain)]) }
    #expect(drive(&p, [.stepped(thinker: nil, writer: Self.plain)]) == [.finish("answer complete")])
    var q = policy(.nothink)
    _ = drive(&q, [.endOfUtterance, .stepped(thinker: nil, writer: F(endOfTurn: true))])
    #expect(q.mode == .done)
  }

  @Test func thinkModeSpeaksOnlyAfterTheBudget() {
    var p = policy(.think)
    _ = drive(&p, [.heardWords(sentenceComplete: true), .endOfUtterance])
    var acts: [PolicyAction] = []
    for _ in 0..<10 { acts += drive(&p, [.stepped(thinker: F(paragraphEnd: true), writer: nil)]) }
    #expect(!acts.contains(.probe))
    #expect(p.mode == .speaking)
  }

  @Test(arguments: [Mode.thinking, .thinkingAndSpeaking, .done])
  func interjectionReturnsToThinking(from start: Mode) {
    var p = policy()
    _ = drive(&p, [.heardWords(sentenceComplete: true), .endOfUtterance])
    if start == .thinkingAndSpeaking { _ = drive(&p, [.probeAnswered(yes: true)]) }
    if start == .done { _ = drive(&p, [.probeAnswered(yes: true), .stepped(thinker: Self.plain, writer: F(endOfTurn: true))]) }
    #expect(p.mode == start)
    _ = p.drainChanges()
    #expect(drive(&p, [.interjection]) == [.step(thinker: true, writer: false)])
    #expect(p.mode == .thinking)
    #expect(p.drainChanges().last?.1.contains("interjection") == true || start == .thinking)
  }

  @Test("a thinker that reaches its limit while the user speaks waits, and speaks at the end of the utterance")
  func thoughtLimitWhileListeningWaits() {
    for s in [PolicyOptions.Strategy.async, .think] {
      var p = policy(s) { $0.maxThoughts = 4 }
      _ = drive(&p, [.heardWords(sentenceComplete: true)])
      let acts = drive(&p, Array(repeating: .stepped(thinker: Self.plain, writer: nil), count: 4))
      #expect(acts.last == .wait)
      #expect(p.mode == .thinking)
      #expect(drive(&p, [.heardWords(sentenceComplete: false)]) == [.wait])
      #expect(drive(&p, [.endOfUtterance]) == [.step(thinker: false, writer: true)])
      #expect(p.mode == .speaking)
    }
  }

  @Test("the thought limit counts the thoughts on the question as it stands: a restart or an interjection starts it again")
  func thoughtLimitCountsSinceRestart() {
    for s in [PolicyOptions.Strategy.async, .think] {
      var p = policy(s) {
        $0.maxThoughts = 4
        $0.probeAtEndMinThoughts = 100
        $0.probeInterval = 100
      }
      _ = drive(&p, [.heardWords(sentenceComplete: true)])
      _ = drive(&p, Array(repeating: .stepped(thinker: Self.plain, writer: nil), count: 3))
      _ = drive(&p, [.heardWords(sentenceComplete: true), .thoughtsRestarted])
      _ = drive(&p, Array(repeating: .stepped(thinker: Self.plain, writer: nil), count: 3))
      #expect(p.thoughts == 3)
      // 6 thoughts in all, 3 on the whole question: the thinker goes on after the utterance
      #expect(drive(&p, [.endOfUtterance]).last == .step(thinker: true, writer: false))
      #expect(p.mode == .thinking)
      _ = drive(&p, [.stepped(thinker: Self.plain, writer: nil)])
      #expect(p.mode == .speaking)  // the fourth on the question reaches the limit
      _ = drive(&p, [.interjection])
      #expect(p.thoughts == 0)
      #expect(drive(&p, [.stepped(thinker: Self.plain, writer: nil)]) == [.step(thinker: true, writer: false)])
      #expect(p.mode == .thinking)
    }
  }

  @Test func asyncSpeaksOnceTheThoughtsOnTheWholeQuestionHaveAPlanLine() {
    var p = policy {
      $0.speakAfterLines = 1; $0.probeAtEndMinThoughts = 100; $0.probeAtLinesAfter = 0
    }
    _ = drive(&p, [.heardWords(sentenceComplete: true), .stepped(thinker: F(lineEnd: true), writer: nil)])
    #expect(p.mode == .thinking)  // never over the user
    _ = drive(&p, [.thoughtsRestarted])  // a new sentence: the thoughts start over, their plan is gone
    _ = drive(&p, [.endOfUtterance, .stepped(thinker: Self.plain, writer: nil)])
    #expect(p.mode == .thinking)
    _ = drive(&p, [.stepped(thinker: F(lineEnd: true), writer: nil)])
    #expect(p.mode == .thinkingAndSpeaking)
    var think = policy(.think) { $0.speakAfterLines = 1 }
    _ = drive(&think, [.heardWords(sentenceComplete: true), .endOfUtterance, .stepped(thinker: F(lineEnd: true), writer: nil)])
    #expect(think.mode == .thinking)  // think-first waits for its budget
  }

  @Test("past the token bound the writer waits for the thoughts' sentence to end, up to sentenceWait more")
  func speakAfterWaitsForASentence() {
    func steps(_ n: Int, _ f: F = Self.plain) -> [ReasoningPolicy.Input] {
      Array(repeating: .stepped(thinker: f, writer: nil), count: n)
    }
    var p = policy {
      $0.sentenceWait = 5; $0.probeInterval = 1000; $0.probeAtEndMinThoughts = 1000; $0.probeAtLinesAfter = 0
    }
    _ = drive(&p, [.heardWords(sentenceComplete: true), .endOfUtterance] + steps(12))
    #expect(p.mode == .thinking)  // 12 tokens past the end, mid-sentence: it waits
    _ = drive(&p, steps(1, F(sentenceEnd: true)))
    #expect(p.mode == .thinkingAndSpeaking)
    var capped = policy {
      $0.sentenceWait = 5; $0.probeInterval = 1000; $0.probeAtEndMinThoughts = 1000; $0.probeAtLinesAfter = 0
    }
    _ = drive(&capped, [.heardWords(sentenceComplete: true), .endOfUtterance] + steps(14))
    #expect(capped.mode == .thinking)
    _ = drive(&capped, steps(1))
    #expect(capped.mode == .thinkingAndSpeaking)  // 10 + 5: it speaks on the fragment anyway
    var off = policy {
      $0.probeInterval = 1000; $0.probeAtEndMinThoughts = 1000; $0.probeAtLinesAfter = 0
    }
    _ = drive(&off, [.heardWords(sentenceComplete: true), .endOfUtterance] + steps(10))
    #expect(off.mode == .thinkingAndSpeaking)  // sentenceWait 0: the bound alone
  }

  @Test("while the listener waits, a note's line end brings the probe forward once enough notes exist")
  func probeAtLineEnds() {
    let line = F(lineEnd: true)
    var p = policy {
      $0.probeAtLinesAfter = 2; $0.probeInterval = 20; $0.probeAtEndMinThoughts = 20
    }
    _ = drive(&p, [.heardWords(sentenceComplete: true), .endOfUtterance])
    #expect(drive(&p, [.stepped(thinker: line, writer: nil)]) == [.step(thinker: true, writer: false)])  // 1 note: too few
    #expect(drive(&p, [.stepped(thinker: Self.plain, writer: nil), .stepped(thinker: line, writer: nil)]).last == .probe)
    #expect(drive(&p, [.probeAnswered(yes: true)]) == [.step(thinker: true, writer: true)])
    // once the answer has started, line ends no longer call the probe (the interval does)
    #expect(drive(&p, [.stepped(thinker: line, writer: Self.plain)]) == [.step(thinker: true, writer: true)])
    var off = policy {
      $0.probeInterval = 20; $0.probeAtEndMinThoughts = 20
    }
    _ = drive(&off, [.heardWords(sentenceComplete: true), .endOfUtterance])
    #expect(
      drive(&off, Array(repeating: .stepped(thinker: line, writer: nil), count: 4)).allSatisfy {
        $0 == .step(thinker: true, writer: false)
      })
  }
}
