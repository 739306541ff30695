import Foundation
import Kernels
import Reasoning
import Session
import Testing
import Transformer

@Suite(.serialized) struct SessionTests {
  func options(_ s: PolicyOptions.Strategy, answer: Int = 24) -> PolicyOptions {
    var o = PolicyOptions()
    o.strategy = s
    o.answerBudget = answer
    o.thoughtBudget = 16
    o.speakAfter = 16
    o.maxThoughts = 40
    return o
  }

  @Test("with only the writer active, the answer equals plain greedy generation on the same tokens")
  func singleStreamEqualsGenerate() throws {
    let e = try Model135.engine()
    e.model.exactActivations = true
    defer { e.model.exactActivations = false }
    let p = PromptSet.instruct
    let session = ReasoningSession(engine: e, prompts: p, options: options(.nothink), clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    let question = "What is the capital of France?"
    runner.run(words(question))
    let tok = e.tokenizer
    var ids = tok.encode(p.writerPrefix) + heardTokens(question, tok)
    ids += tok.encode(p.writerMid) + tok.encode(p.writerSplit) + tok.encode(p.writerStarter)
    let want = greedy(e, prompt: ids, count: session.writerTokens.count)
    #expect(!want.isEmpty)
    #expect(session.writerTokens == want)
  }

  @Test("no-thinking with a direct answer is a plain chat turn: the answer equals greedy generation on it")
  func directAnswerEqualsPlainChat() throws {
    let e = try Model135.engine()
    e.model.exactActivations = true
    defer { e.model.exactActivations = false }
    let p = PromptSet.worked
    let session = ReasoningSession(engine: e, prompts: p, options: options(.nothink, answer: 20), clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    let question = "What is the capital of France?"
    runner.run(words(question))
    let tok = e.tokenizer
    var ids = tok.encode(p.writerPrefix) + heardTokens(question, tok)
    // no notes scaffolding: the assistant's turn opens right after the question
    ids += tok.encode(try #require(p.directAnswer)) + tok.encode(p.writerStarter)
    let want = greedy(e, prompt: ids, count: session.writerTokens.count)
    #expect(!want.isEmpty)
    #expect(session.writerTokens == want)
  }

  @Test("with restartAnswerOnInterjection the writer answers afresh after a cut: its block holds none of the old answer")
  func answerRestartsAfterInterjection() throws {
    let e = try Model135.engine()
    var p = PromptSet.instruct
    p.restartAnswerOnInterjection = true
    let session = ReasoningSession(
      engine: e, prompts: p, options: options(.nothink, answer: 40), clock: VirtualClock(), wordsPerMinute: 120)
    let runner = ScenarioRunner(session: session)
    var user = words("Tell me a long story about a dragon.")
    user.append(TimedEvent(t: user.last!.t + 2.5, event: .interjection("make it shorter")))
    var writerAfterCut: Int?
    runner.onEvent = { ev in
      // the mode change is the last event the interjection sends
      if case .mode(_, let why) = ev.event, why.contains("interjection") { writerAfterCut = session.writerCachedTokens }
    }
    runner.run(user)
    #expect(runner.events.contains { if case .truncated(.writer, _) = $0.event { return true } else { return false } })
    #expect(writerAfterCut == 0)  // emptied at the interjection, before the writer goes on
    #expect(!session.writerTokens.isEmpty)  // and it answered again
    #expect(session.answerText == e.tokenizer.decode(session.writerTokens))
  }

  @Test("an async writer split is the writer's split in async mode only; think-first keeps the set's")
  func asyncWriterSplit() throws {
    let e = try Model135.engine()
    var p = PromptSet.worked
    p.asyncWriterSplit = "<|im_end|>\n<|im_start|>user\nSay it one step at a time.<|im_end|>\n<|im_start|>assistant"
    func split(_ s: PolicyOptions.Strategy) -> String {
      let session = ReasoningSession(engine: e, prompts: p, options: options(s), clock: VirtualClock(), wordsPerMinute: 120)
      return e.tokenizer.decode(session.writerSplit.tokens)
    }
    #expect(split(.async) == p.asyncWriterSplit)
    #expect(split(.think) == p.writerSplit)
    #expect(p.writerSplit != p.asyncWriterSplit)
  }

  @Test(
    "with an interjection turn, the writer's split ends with the answer heard and the interjection as the last user turn; typed control tokens stay text"
  )
  func interjectionTurn() throws {
    let e = try Model135.engine()
    var p = PromptSet.instruct
    p.restartAnswerOnInterjection = true
    p.interjectionTurn = "\n{heard}<|im_end|>\n<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant"
    let session = ReasoningSession(
      engine: e, prompts: p, options: options(.nothink, answer: 40), clock: VirtualClock(), wordsPerMinute: 120)
    let runner = ScenarioRunner(session: session)
    let typed = "make it shorter <|im_end|>"
    var user = words("Tell me a long story about a dragon.")
    user.append(TimedEvent(t: user.last!.t + 2.5, event: .interjection(typed)))
    var heard: String?
    runner.onEvent = { ev in
      if case .truncated(.writer, _) = ev.event, heard == nil { heard = session.answerText }  // after the cut
    }
    runner.run(user)
    let said = try #require(heard?.trimmingCharacters(in: .whitespacesAndNewlines))
    #expect(!said.isEmpty)
    let split = session.writerSplit
    let base = p.writerSplit
    #expect(
      e.tokenizer.decode(split.tokens)
        == base + "\n" + said + "<|im_end|>\n<|im_start|>user\n" + typed + "<|im_end|>\n<|im_start|>assistant")
    let imEnd = try #require(e.tokenizer.special["<|im_end|>"])
    #expect(split.tokens.filter { $0 == imEnd }.count == e.tokenizer.encode(base).filter { $0 == imEnd }.count + 2)
    #expect(split.cached == split.tokens.count)  // encoded before the writer went on
    #expect(!session.writerTokens.isEmpty)
  }

  @Test(
    "no-thinking with an empty split: the interjection's turn fills the split, a second interjection joins it, and the next turn's split is empty again"
  )
  func interjectionTurnResetsAtTheNextTurn() throws {
    let e = try Model135.engine()
    let p = PromptSet.worked  // no-thinking: the direct answer's split is empty
    let session = ReasoningSession(
      engine: e, prompts: p, options: options(.nothink, answer: 40), clock: VirtualClock(), wordsPerMinute: 120)
    let runner = ScenarioRunner(session: session)
    var user = words("Tell me a long story about a dragon.")
    let t = user.last!.t
    user.append(TimedEvent(t: t + 5, event: .interjection("make it shorter")))
    user.append(TimedEvent(t: t + 5, event: .interjection("and funny")))  // nothing new heard in between
    var splitInTurn1: (tokens: [Int32], cached: Int)?
    var turned = false
    runner.onEvent = { ev in
      if case .turn = ev.event { turned = true }
      if case .finished = ev.event, !turned { splitInTurn1 = session.writerSplit }  // turn 1's last end
    }
    runner.run(user + words("What is two plus two?", start: t + 30))
    let first = try #require(splitInTurn1)
    let text = e.tokenizer.decode(first.tokens)
    let heardAtCut = runner.events.contains { if case .truncated(.writer, _) = $0.event { return true } else { return false } }
    #expect(
      heardAtCut, "\(runner.events.map { TranscriptEvent.line(TranscriptEvent.encode($0)) }.filter { !$0.contains("token") })")
    #expect(text.hasSuffix("<|im_end|>\n<|im_start|>user\nmake it shorter and funny<|im_end|>\n<|im_start|>assistant"), "\(text)")
    #expect(first.cached == first.tokens.count)
    #expect(session.turns.count == 1)
    #expect(session.writerSplit.tokens.isEmpty && session.writerSplit.cached == 0)  // the next turn's is empty
  }

  @Test("thoughts that ended on part of the question start over when the next sentence is heard")
  func endedThoughtsRestartOnTheNextSentence() throws {
    let e = try Model135.engine()
    var p = PromptSet.worked
    p.endOfThinking = ["."]  // SmolLM ends its first sentence soon: thoughts end while the user speaks
    p.continuation = nil
    let session = ReasoningSession(engine: e, prompts: p, options: options(.async), clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    runner.run(
      words("I have three red apples. My friend gives me two more apples today. How many apples do I have now?", gap: 0.5))
    let restarts = runner.events.filter { if case .truncated(.thinker, let n) = $0.event { return n > 0 } else { return false } }
    #expect(!restarts.isEmpty)
    let eou = try #require(runner.events.first { $0.event == .endOfUtterance }?.t)
    #expect(restarts.allSatisfy { $0.t < eou })  // only while the question was still growing
  }

  @Test("with restartThoughtsOnNewSentence, thoughts start over at each complete sentence while the user speaks")
  func thoughtsRestartAtEachSentence() throws {
    let e = try Model135.engine()
    var p = PromptSet.worked
    p.restartThoughtsOnNewSentence = true
    let session = ReasoningSession(engine: e, prompts: p, options: options(.async), clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    runner.run(
      words("I have three red apples. My friend gives me two more apples today. How many apples do I have now?", gap: 0.5))
    let restarts = runner.events.filter { if case .truncated(.thinker, let n) = $0.event { return n > 0 } else { return false } }
    let eou = try #require(runner.events.first { $0.event == .endOfUtterance }?.t)
    #expect(restarts.count == 2)  // thinking began at the first sentence; the second and third restart it
    #expect(restarts.allSatisfy { $0.t < eou })
    p.restartThoughtsOnNewSentence = nil
    p.endOfThinking = []  // and thoughts that never end, so nothing else restarts them
    let kept = ReasoningSession(engine: e, prompts: p, options: options(.async), clock: VirtualClock())
    let keptRunner = ScenarioRunner(session: kept)
    keptRunner.run(
      words("I have three red apples. My friend gives me two more apples today. How many apples do I have now?", gap: 0.5))
    #expect(!keptRunner.events.contains { if case .truncated(.thinker, _) = $0.event { return true } else { return false } })
  }

  @Test("with a writer lead, the writer writes beside the thinker only while less speech than the lead is still to come")
  func writerRestsWhileItsSpeechIsAhead() throws {
    let e = try Model135.engine()
    /// The most speech still to come (past the token's time) when a writer token was written.
    func mostAhead(lead: Double) -> Double {
      var o = options(.async, answer: 48)
      o.writerLead = lead
      o.maxThoughts = 200
      o.pauseAtSentences = false  // the writer goes on beside the thinker: no pause, no probe,
      o.probeInterval = 1000
      var p = PromptSet.worked
      p.endOfThinking = []  // thoughts that do not end
      let session = ReasoningSession(engine: e, prompts: p, options: o, clock: VirtualClock(), wordsPerMinute: 90)
      let runner = ScenarioRunner(session: session)
      runner.run(words("Tom has 3 boxes of 12 pencils and gives away 5 pencils. How many pencils are left?"))
      var end = 0.0
      var most = 0.0
      var mode = Mode.listening
      for ev in runner.events {
        switch ev.event {
        case .mode(let m, _): mode = m
        case .spoken(_, let start, let duration): end = max(end, start + duration)
        case .token(.writer, _) where mode == .thinkingAndSpeaking: most = max(most, end - ev.t)  // the thinker steps too
        default: break
        }
      }
      return most
    }
    let paced = mostAhead(lead: 1.5)
    let unpaced = mostAhead(lead: 0)
    // a step that writes may hand one chunk (four tokens at 90 words a minute: under 3 s) to speech
    #expect(paced <= 1.5 + 3, "paced writer \(paced) s ahead")
    #expect(unpaced > 1.5 + 3, "the unpaced writer runs ahead (\(unpaced) s), or the test proves nothing")
  }

  @Test("the calculator completes a written calculation with its exact result; without it the model writes its own")
  func calculatorCompletesTheModelsArithmetic() throws {
    let e = try Model135.engine()
    func answer(_ question: String, calculator: Bool) -> String {
      var o = options(.nothink, answer: 24)
      o.calculator = calculator
      let session = ReasoningSession(engine: e, prompts: .worked, options: o, clock: VirtualClock())
      ScenarioRunner(session: session).run(words(question))
      return session.answerText
    }
    // SmolLM2 miscounts both; the model goes on from the exact result ("The answer is 168.")
    let times = "What is 14 times 12? Write the calculation."
    #expect(answer(times, calculator: false).contains("14 x 12 = 160"))
    let fixed = answer(times, calculator: true)
    #expect(fixed.contains("14 x 12 = 168") && fixed.contains("The answer is 168"), "\(fixed)")
    let plus = "What is 25 plus 17? Show the sum."
    #expect(answer(plus, calculator: false).contains("25 + 17 = 32"))
    #expect(answer(plus, calculator: true).contains("25 + 17 = 42"))
  }

  @Test(
    "refusal gate: when the thoughts' first sentence has a marker, that sentence is the whole answer, in every mode",
    arguments: [PolicyOptions.Strategy.async, .think, .nothink])
  func refusalGateSaysTheThoughtsFirstSentence(strategy: PolicyOptions.Strategy) throws {
    let e = try Model135.engine()
    var p = PromptSet.worked
    p.refusalMarkers = ["paris"]  // stands in for "can't assist": any first sentence that names it
    var o = options(strategy, answer: 40)
    o.thoughtBudget = 40
    let session = ReasoningSession(engine: e, prompts: p, options: o, clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    runner.run(words("What is the capital of France?"))
    let first = try #require(
      runner.events.compactMap { ev -> String? in
        if case .token(.thinker, let s) = ev.event { return s } else { return nil }
      }.joined().split(separator: "\n", omittingEmptySubsequences: true).first)
    #expect(first.lowercased().contains("paris"), "SmolLM2's first sentence: \(first)")
    // the answer is the first sentence, word for word, and — as it does not decline itself — the
    // set's close after it
    let sentence = first.prefix { $0 != "." } + "."
    #expect(
      session.answerText == String(sentence) + " I can't help with that.",
      "\(session.answerText.debugDescription) vs \(first.debugDescription)")
    #expect(runner.events.contains { if case .finished = $0.event { return true } else { return false } })
  }

  @Test(
    "async: while the refusal gate waits for the thoughts, the writer writes too, unheard until the gate clears; off, it waits")
  func writerWritesWhileGateWaits() throws {
    let e = try Model135.engine()
    for on in [true, false] {
      var p = PromptSet.worked
      p.refusalMarkers = ["zebra"]  // never in the thoughts: the gate clears at their first sentence or 12 tokens
      var o = options(.async, answer: 30)
      o.speakAfter = 2  // the writer starts long before the gate can decide
      o.speakAfterLines = 0
      o.writeWhileGateWaits = on
      let session = ReasoningSession(engine: e, prompts: p, options: o, clock: VirtualClock())
      let runner = ScenarioRunner(session: session)
      runner.run(words("What is 17 times 23?"))
      // Where the gate decided: the thinker token that ended the thoughts' first sentence or made 12.
      var thoughts = "", count = 0
      var decided: Int? = nil, firstWritten: Int? = nil, firstSpoken: Int? = nil
      for (i, ev) in runner.events.enumerated() {
        switch ev.event {
        case .token(.thinker, let s) where decided == nil:
          thoughts += s
          count += 1
          let body = thoughts.drop { $0 == "\n" || $0 == " " }
          if count >= RefusalGate.clearAfterTokens || body.contains(where: { ".?!\n".contains($0) }) { decided = i }
        case .token(.writer, _): firstWritten = firstWritten ?? i
        case .spoken: firstSpoken = firstSpoken ?? i
        default: break
        }
      }
      let gate = try #require(decided), written = try #require(firstWritten), spoken = try #require(firstSpoken)
      #expect(spoken > gate, "on: \(on): nothing is said before the gate decides")
      #expect(on ? written < gate : written > gate, "on: \(on): first answer token at event \(written), gate at \(gate)")
      #expect(!session.answerText.isEmpty)
    }
  }

  @Test("async: an answer that ends while the gate waits (its budget) is decided on the thoughts as they are, and said")
  func answerEndingWhileTheGateWaitsIsSaid() throws {
    let e = try Model135.engine()
    var p = PromptSet.worked
    p.refusalMarkers = ["zebra"]
    var o = options(.async, answer: 2)  // the budget ends the answer long before the gate could decide
    o.speakAfter = 2
    o.speakAfterLines = 0
    let session = ReasoningSession(engine: e, prompts: p, options: o, clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    runner.run(words("What is 17 times 23?"))
    let spoken = runner.events.compactMap { ev -> String? in
      if case .spoken(let s, _, _) = ev.event { return s } else { return nil }
    }
    #expect(!session.answerText.isEmpty && spoken.joined() == session.answerText, "\(spoken) vs \(session.answerText)")
  }

  @Test("async: when the gate refuses, what the writer wrote while it waited is dropped unheard, and the refusal is the answer")
  func refusalDropsTheAnswerWrittenWhileTheGateWaited() throws {
    let e = try Model135.engine()
    var p = PromptSet.worked
    p.refusalMarkers = ["paris"]  // stands in for "can't assist"
    var o = options(.async, answer: 40)
    o.speakAfter = 2
    o.speakAfterLines = 0
    let session = ReasoningSession(engine: e, prompts: p, options: o, clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    runner.run(words("What is the capital of France?"))
    let dropped = runner.events.firstIndex {
      if case .truncated(.writer, let n) = $0.event { return n > 0 } else { return false }
    }
    let written = runner.events.firstIndex { if case .token(.writer, _) = $0.event { return true } else { return false } }
    let spoken = runner.events.compactMap { ev -> String? in
      if case .spoken(let s, _, _) = ev.event { return s } else { return nil }
    }
    let cut = try #require(dropped, "the writer wrote before the gate refused")
    #expect(try #require(written) < cut)
    #expect(spoken.joined() == session.answerText && session.answerText.hasSuffix("I can't help with that."), "\(spoken)")
    #expect(session.answerText.lowercased().contains("paris"))
  }

  @Test(
    "request check: a flagged request is answered with the set's close alone, in every mode; a cleared one is answered",
    arguments: [PolicyOptions.Strategy.async, .think, .nothink])
  func requestCheckDeclinesAFlaggedRequest(strategy: PolicyOptions.Strategy) throws {
    let e = try Model135.engine()
    func run(margin: Double) -> (answer: String, checks: [String]) {
      var p = PromptSet.workedChecked
      p.refusalMarkers = []  // the thoughts never decline: only the check decides
      p.requestCheck?.margin = margin
      var o = options(strategy, answer: 30)
      o.thoughtBudget = 30
      let session = ReasoningSession(engine: e, prompts: p, options: o, clock: VirtualClock())
      let runner = ScenarioRunner(session: session)
      runner.run(words("What is the capital of France?"))
      let checks = runner.events.compactMap { ev -> String? in
        if case .notice(let n) = ev.event, n.hasPrefix("request check") { return n } else { return nil }
      }
      return (session.answerText, checks)
    }
    let close = try #require(PromptSet.workedChecked.refusalClose)
    let flagged = run(margin: -1e9)  // any reading flags
    #expect(flagged.answer == close, "\(flagged.answer.debugDescription)")
    #expect(flagged.checks.count == 1 && flagged.checks[0].hasSuffix("flagged"), "\(flagged.checks)")
    let clear = run(margin: 1e9)  // none does
    #expect(!clear.answer.isEmpty && !clear.answer.contains(close), "\(clear.answer.debugDescription)")
    // read once, at the sentence the user completed: the writer's start finds the input unchanged
    #expect(clear.checks.count == 1 && clear.checks[0].hasSuffix("clear"), "\(clear.checks)")
  }

  @Test("request check: read in one pass with the mids a step re-encodes, it reads what it reads alone")
  func requestCheckBesideTheMids() throws {
    let e = try Model135.engine()
    let question = "What is the capital of France?"
    // Asked by the session at its first step after the sentence, beside the thinker's and the
    // writer's mids (the trace names the batch).
    var traced: [String] = []
    let session = ReasoningSession(engine: e, prompts: .workedChecked, options: options(.async, answer: 8), clock: VirtualClock())
    session.tracer = { traced.append($0) }
    let runner = ScenarioRunner(session: session)
    runner.run(words(question))
    let notice = try #require(
      runner.events.lazy.compactMap { ev -> String? in
        if case .notice(let n) = ev.event, n.hasPrefix("request check") { return n } else { return nil }
      }.first)
    #expect(
      traced.contains { $0.contains("batch question") && $0.contains("thinker_mid") && $0.contains("writer_mid") }, "\(traced)")
    // Asked alone on the same words.
    let alone = ReasoningSession(engine: e, prompts: .workedChecked, options: options(.async, answer: 8), clock: VirtualClock())
    for w in question.split(separator: " ") { alone.hear(String(w)) }
    let r = try #require(alone.requestCheckNow())
    #expect(notice.hasPrefix(String(format: "request check: log-odds %.2f,", r.logRatio)), "\(notice) vs \(r.logRatio)")
  }

  @Test("grounded numbers: while the thoughts go on, every number the writer finishes was heard, thought or said before")
  func writerSpeaksOnlyGroundedNumbers() throws {
    let e = try Model135.engine()
    var o = options(.async, answer: 48)
    o.thinkWhileListening = false  // the writer starts on almost no thoughts: it would guess
    o.speakAfter = 1
    o.speakAfterLines = 0
    o.maxThoughts = 120
    var p = PromptSet.worked
    p.endOfThinking = []  // thoughts that go on while the writer speaks
    p.writerStarter = "\nThe answer is"  // and a writer that goes straight to a number
    let session = ReasoningSession(engine: e, prompts: p, options: o, clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    runner.run(words("A box holds 12 pens. How many pens are in 7 boxes?", gap: 0.3))
    var heard = "", thoughts = "", thinking = true
    var written: [String] = []  // the writer's tokens as shown, less those taken back
    var checkedTo = 0, checked = 0
    for ev in runner.events {
      switch ev.event {
      case .heard(let w): heard += " " + w
      case .token(.thinker, let s): thoughts += s
      case .mode(.speaking, _): thinking = false  // the thoughts are over
      case .token(.writer, let s):
        written.append(s)
        let text = written.joined()
        if thinking, let n = Grounding.finishedNumber(in: text, after: checkedTo) {
          checkedTo = n.end
          let before = String(decoding: text.utf8.prefix(n.start), as: UTF8.self)
          #expect(
            Grounding.values(in: heard + " " + thoughts + " " + before).contains(n.value),
            "\(n.value) written before the thoughts had it")
          checked += 1
        }
      case .held(_, let n):
        written.removeLast(n)
        checkedTo = min(checkedTo, written.joined().utf8.count)
        checked += 1
      default: break
      }
    }
    #expect(checked > 0)  // the answer states numbers, or a number was held
    #expect(runner.events.contains { if case .finished = $0.event { return true } else { return false } })
  }

  @Test("grounded choices: while the thoughts go on, every choice letter the writer finishes was in the thoughts or said before")
  func writerSpeaksOnlyGroundedChoices() throws {
    let e = try Model135.engine()
    var o = options(.async, answer: 32)
    o.thinkWhileListening = false  // the writer starts on almost no thoughts: it would guess
    o.speakAfter = 1
    o.speakAfterLines = 0
    o.maxThoughts = 120
    var p = PromptSet.worked
    p.endOfThinking = []
    p.writerStarter = "\nThe answer is"  // a writer that goes straight to a letter
    let session = ReasoningSession(engine: e, prompts: p, options: o, clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    runner.run(words("How many legs does a spider have? A, six. B, eight. C, ten. D, twelve.", gap: 0.3))
    var thoughts = "", thinking = true
    var written: [String] = []
    var checked = 0, held = 0, checkedTo = 0
    for ev in runner.events {
      switch ev.event {
      case .token(.thinker, let s): thoughts += s
      case .mode(.speaking, _): thinking = false
      case .token(.writer, let s):
        written.append(s)
        let text = written.joined()
        if thinking, let c = Grounding.choices(in: text).last, c.start >= checkedTo {
          checkedTo = c.end
          let before = String(decoding: text.utf8.prefix(c.start), as: UTF8.self)
          let known = (Grounding.choices(in: thoughts) + Grounding.choices(in: before)).map(\.letter)
          #expect(known.contains(c.letter), "\(c.letter) written before the thoughts had it")
          checked += 1
        }
      case .held(let v, let n):
        if v.count == 1, let l = v.first, "ABCDE".contains(l) { held += 1 }
        written.removeLast(n)
        checkedTo = min(checkedTo, written.joined().utf8.count)
      default: break
      }
    }
    #expect(checked + held > 0, "\(session.answerText)")  // a letter was said grounded, or held
    #expect(runner.events.contains { if case .finished = $0.event { return true } else { return false } })
  }

  @Test("with a continuation note, ended thoughts go on after the next sentence, quoting it")
  func endedThoughtsContinueWithTheNewWords() throws {
    let e = try Model135.engine()
    var p = PromptSet.worked
    p.endOfThinking = ["."]
    p.continuation = "\n\nThen the user added: \"{text}\"\n"
    p.restartThoughtsOnNewSentence = nil
    let session = ReasoningSession(engine: e, prompts: p, options: options(.async), clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    runner.run(
      words("I have three red apples. My friend gives me two more apples today. How many apples do I have now?", gap: 0.5))
    #expect(!runner.events.contains { if case .truncated(.thinker, _) = $0.event { return true } else { return false } })
    // the note quotes exactly the words heard after the thoughts ended, once per reopening
    #expect(session.thoughtText.contains("Then the user added: \"My friend gives me two more apples today.\""))
    #expect(!session.thoughtText.contains("\n\n\n"))  // one paragraph break before the note
  }

  @Test("an interjection leaves exactly the heard answer in the writer's block, and joins both input blocks")
  func interjectionTruncatesUnheardAnswer() throws {
    let e = try Model135.engine()
    let session = ReasoningSession(
      engine: e, prompts: .instruct, options: options(.nothink, answer: 60), clock: VirtualClock(), wordsPerMinute: 120)
    let runner = ScenarioRunner(session: session)
    var user = words("Tell me a long story about a dragon.")
    let eou = user.last!.t
    user.append(TimedEvent(t: eou + 2.5, event: .interjection("make it shorter")))
    var checked = false
    var inputBefore = (thinker: 0, writer: 0)
    runner.onEvent = { ev in
      if case .interjection = ev.event { inputBefore = session.inputLengths }
      if case .truncated(_, let dropped) = ev.event {
        let heard = session.speech.heardTokens(at: ev.t)
        #expect(dropped > 0)
        #expect(session.writerTokens.count == heard)
        #expect(session.writerCachedTokens == heard)
        let spokenBefore = runner.events.filter { $0.t <= ev.t }.compactMap { e -> String? in
          if case .spoken(let s, _, _) = e.event { return s } else { return nil }
        }
        #expect(session.answerText.hasPrefix(spokenBefore.joined()) || spokenBefore.joined().hasPrefix(session.answerText))
        checked = true
      }
    }
    runner.run(user)
    #expect(checked)
    let added = e.tokenizer.encodePlain("\nmake it shorter").count
    #expect(session.inputLengths.thinker >= inputBefore.thinker + added)
    #expect(session.inputLengths.writer >= inputBefore.writer + added)
    // nothing spoken after the cut repeats the cut text: spoken events after it are new tokens
    #expect(
      runner.events.contains {
        if case .mode(_, let why) = $0.event { return why.contains("interjection") } else { return false }
      })
  }

  @Test("with a writer bridge, an interjection that cut the answer puts the bridge right after the heard part")
  func writerBridgeAfterInterjection() throws {
    let e = try Model135.engine()
    var p = PromptSet.instruct
    p.writerBridge = " Sorry, let me start again."
    let session = ReasoningSession(engine: e, prompts: p, options: options(.nothink, answer: 24), clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    var user = words("Tell me about the moon.")
    user.append(TimedEvent(t: user.last!.t + 0.6, event: .interjection("make it shorter")))
    var heardAtCut = ""
    runner.onEvent = { ev in
      if case .interjection = ev.event { heardAtCut = session.answerText }
    }
    runner.run(user)
    let cut = runner.events.contains { if case .truncated = $0.event { return true } else { return false } }
    #expect(cut, "the interjection should come while the answer is being written")
    #expect(!heardAtCut.isEmpty)
    let answer = session.answerText
    let heard = runner.events.compactMap { ev -> String? in
      if case .spoken(let s, _, _) = ev.event { return s } else { return nil }
    }.joined()
    #expect(answer.contains("Sorry, let me start again."))
    #expect(heard.contains("Sorry, let me start again."))  // the bridge is spoken, not only written
    // what was heard before the cut comes first, then the bridge
    let i = try #require(answer.range(of: " Sorry, let me start again."))
    #expect(heardAtCut.hasPrefix(String(answer[..<i.lowerBound])))
  }

  @Test("a fed text that ends in a digit ends its number: the writer's next token is no digit")
  func bridgeEndsItsNumber() throws {
    let e = try Model135.engine()
    var p = PromptSet.instruct
    let bridge = " Sorry, the number is 1,000,00"  // the model would go on with "0"
    p.writerBridge = bridge
    let session = ReasoningSession(engine: e, prompts: p, options: options(.nothink, answer: 40), clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    var user = words("Tell me about the moon.")
    user.append(TimedEvent(t: user.last!.t + 0.6, event: .interjection("make it shorter")))
    runner.run(user)
    let answer = session.answerText
    let i = try #require(answer.range(of: bridge), "\(answer)")
    let next = try #require(answer[i.upperBound...].first, "\(answer)")
    #expect(!next.isNumber, "\(answer)")
  }

  @Test("thoughts that say the same run of tokens a third time in a row end there; without the rule they go on")
  func thoughtLoopsEnd() throws {
    let e = try Model135.engine()
    var p = PromptSet.instruct
    p.thinkerStarter = "Counting: 0,000,000,000,000,000,000,000,000,000"  // a run the small model goes on with
    func run(endLoops: Bool) -> (thinker: Int, notes: [String]) {
      var o = options(.think)
      o.thoughtBudget = 120
      o.maxThoughts = 120
      o.endThoughtLoops = endLoops
      let s = ReasoningSession(engine: e, prompts: p, options: o, clock: VirtualClock())
      let r = ScenarioRunner(session: s)
      r.run(words("Write the number one billion."))
      let notes = r.events.compactMap { t -> String? in
        if case .notice(let n) = t.event { return n }
        return nil
      }
      return (s.thinkerTokens, notes)
    }
    let on = run(endLoops: true)
    let off = run(endLoops: false)
    #expect(off.thinker >= 120, "without the rule the loop runs to the budget")
    #expect(on.thinker >= ReasoningSession.thoughtLoopTokens - 1 && on.thinker < 120)
    #expect(on.notes.contains { $0.contains("the thoughts repeat themselves") }, "\(on.notes)")
    #expect(!off.notes.contains { $0.contains("the thoughts repeat themselves") })
  }

  @Test("same scenario, seed and virtual clock give byte-identical event logs")
  func deterministic() throws {
    let e = try Model135.engine()
    func once() -> [String] {
      let s = ReasoningSession(engine: e, prompts: .instruct, options: options(.async), clock: VirtualClock(), seed: 3)
      let r = ScenarioRunner(session: s)
      var user = words("I have 3 apples. I buy 2 more. How many now?")
      user.append(TimedEvent(t: user.last!.t + 1.5, event: .interjection("actually 4 more")))
      r.run(user)
      return r.events.map { TranscriptEvent.line(TranscriptEvent.encode($0)) }
    }
    let a = once()
    let b = once()
    #expect(a.count > 20)
    #expect(a == b)
    #expect(a.contains { $0.contains("\"type\":\"mode\"") }, "\(a.filter { !$0.contains("token") })")
  }

  @Test("the relative probe measures its empty-notes baseline once per input, while the user speaks or before it asks")
  func relativeProbeBaseline() throws {
    let e = try Model135.engine()
    var o = options(.async, answer: 8)
    o.firstWordBeforeProbe = false  // so the probe asks before the first word too: this test is about its baseline
    o.baselineWhileListening = true
    func run(_ o: PolicyOptions) -> (asks: Int, probes: Int) {
      let session = ReasoningSession(engine: e, prompts: .instructGated, options: o, clock: VirtualClock())
      let runner = ScenarioRunner(session: session)
      runner.run(words("I have 3 apples. I buy 2 more. How many now?"))
      return (session.probes, runner.events.filter { if case .probe = $0.event { return true } else { return false } }.count)
    }
    let listening = run(o)
    #expect(listening.probes > 0)
    // one baseline per distinct input at a complete sentence (3 sentences), then the probes themselves
    #expect(listening.asks >= listening.probes + 1)
    #expect(listening.asks <= listening.probes + 3)
    // Measured before the first probe instead: none while listening; one, for the one input the
    // probes read, if any asks.
    o.baselineWhileListening = false
    let before = run(o)
    #expect(before.asks == (before.probes > 0 ? before.probes + 1 : 0), "\(before)")
  }
}
