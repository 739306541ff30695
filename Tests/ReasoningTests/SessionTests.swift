import Foundation
import Kernels
import Reasoning
import Session
import Testing
import Transformer

enum Model135 {
  static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Assets/SmolLM2-135M-Instruct.Q4_1.gguf").path
  nonisolated(unsafe) static var cached: Engine?
  static let lock = NSLock()
  static func engine() throws -> Engine {
    lock.lock()
    defer { lock.unlock() }
    if let e = cached { return e }
    guard FileManager.default.fileExists(atPath: path) else { throw CancellationError() }
    let e = try Engine(path: path, threads: 2)
    cached = e
    return e
  }
}

func words(_ text: String, start: Double = 0.5, gap: Double = 0.3) -> [TimedEvent] {
  var out: [TimedEvent] = []
  var t = start
  for w in text.split(separator: " ") {
    out.append(TimedEvent(t: t, event: .heard(String(w))))
    t += gap
  }
  out.append(TimedEvent(t: t, event: .endOfUtterance))
  return out
}

/// The user's words as the session encodes them, one word at a time.
func heardTokens(_ text: String, _ tok: Tokenizer) -> [Int32] {
  text.split(separator: " ").enumerated().flatMap { i, w in tok.encodePlain(i == 0 ? String(w) : " " + w) }
}

/// Up to `count` greedy tokens after `prompt` in a block of its own (stops at a stop token).
func greedy(_ e: Engine, prompt: [Int32], count: Int) -> [Int32] {
  let b = e.store.makeBlock("plain", capacity: prompt.count + count + 1)
  defer { e.store.remove(b) }
  e.model.prefill(prompt, view: [b], store: e.store)
  var out: [Int32] = []
  for _ in 0..<count {
    let next = Sampler.argmax(e.model.logits(0))!
    if e.stopTokens.contains(next) { break }
    out.append(next)
    e.model.forward(tokens: [next], views: [[b]], store: e.store, logitsFor: [0])
  }
  return out
}

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
    let session = ReasoningSession(engine: e, prompts: p, options: options(.nothink, answer: 40), clock: VirtualClock(), wordsPerMinute: 120)
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

  @Test("thoughts that ended on part of the question start over when the next sentence is heard")
  func endedThoughtsRestartOnTheNextSentence() throws {
    let e = try Model135.engine()
    var p = PromptSet.worked
    p.endOfThinking = ["."]  // SmolLM ends its first sentence soon: thoughts end while the user speaks
    p.continuation = nil
    let session = ReasoningSession(engine: e, prompts: p, options: options(.async), clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    runner.run(words("I have three red apples. My friend gives me two more apples today. How many apples do I have now?", gap: 0.5))
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
    runner.run(words("I have three red apples. My friend gives me two more apples today. How many apples do I have now?", gap: 0.5))
    let restarts = runner.events.filter { if case .truncated(.thinker, let n) = $0.event { return n > 0 } else { return false } }
    let eou = try #require(runner.events.first { $0.event == .endOfUtterance }?.t)
    #expect(restarts.count == 2)  // thinking began at the first sentence; the second and third restart it
    #expect(restarts.allSatisfy { $0.t < eou })
    p.restartThoughtsOnNewSentence = nil
    p.endOfThinking = []  // and thoughts that never end, so nothing else restarts them
    let kept = ReasoningSession(engine: e, prompts: p, options: options(.async), clock: VirtualClock())
    let keptRunner = ScenarioRunner(session: kept)
    keptRunner.run(words("I have three red apples. My friend gives me two more apples today. How many apples do I have now?", gap: 0.5))
    #expect(!keptRunner.events.contains { if case .truncated(.thinker, _) = $0.event { return true } else { return false } })
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
    // SmolLM2 miscounts both; the model goes on from the exact result ("The answer is 144.")
    let times = "What is 12 times 12? Write the calculation."
    #expect(answer(times, calculator: false).contains("12 x 12 = 120"))
    let fixed = answer(times, calculator: true)
    #expect(fixed.contains("12 x 12 = 144") && fixed.contains("The answer is 144"), "\(fixed)")
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
    let first = try #require(runner.events.compactMap { ev -> String? in
      if case .token(.thinker, let s) = ev.event { return s } else { return nil }
    }.joined().split(separator: "\n", omittingEmptySubsequences: true).first)
    #expect(first.lowercased().contains("paris"), "SmolLM2's first sentence: \(first)")
    // the answer is the first sentence, word for word
    let sentence = first.prefix { $0 != "." } + "."
    #expect(session.answerText == String(sentence), "\(session.answerText.debugDescription) vs \(first.debugDescription)")
    #expect(runner.events.contains { if case .finished = $0.event { return true } else { return false } })
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
          #expect(Grounding.values(in: heard + " " + thoughts + " " + before).contains(n.value), "\(n.value) written before the thoughts had it")
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

  @Test("with a continuation note, ended thoughts go on after the next sentence, quoting it")
  func endedThoughtsContinueWithTheNewWords() throws {
    let e = try Model135.engine()
    var p = PromptSet.worked
    p.endOfThinking = ["."]
    p.continuation = "\n\nThen the user added: \"{text}\"\n"
    p.restartThoughtsOnNewSentence = nil
    let session = ReasoningSession(engine: e, prompts: p, options: options(.async), clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    runner.run(words("I have three red apples. My friend gives me two more apples today. How many apples do I have now?", gap: 0.5))
    #expect(!runner.events.contains { if case .truncated(.thinker, _) = $0.event { return true } else { return false } })
    // the note quotes exactly the words heard after the thoughts ended, once per reopening
    #expect(session.thoughtText.contains("Then the user added: \"My friend gives me two more apples today.\""))
    #expect(!session.thoughtText.contains("\n\n\n"))  // one paragraph break before the note
  }

  @Test("an interjection leaves exactly the heard answer in the writer's block, and joins both input blocks")
  func interjectionTruncatesUnheardAnswer() throws {
    let e = try Model135.engine()
    let session = ReasoningSession(engine: e, prompts: .instruct, options: options(.nothink, answer: 60), clock: VirtualClock(), wordsPerMinute: 120)
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
        let spokenBefore = runner.events.filter { $0.t <= ev.t }.compactMap { e -> String? in if case .spoken(let s, _, _) = e.event { return s } else { return nil } }
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
    #expect(runner.events.contains { if case .mode(_, let why) = $0.event { return why.contains("interjection") } else { return false } })
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
    let heard = runner.events.compactMap { ev -> String? in if case .spoken(let s, _, _) = ev.event { return s } else { return nil } }.joined()
    #expect(answer.contains("Sorry, let me start again."))
    #expect(heard.contains("Sorry, let me start again."))  // the bridge is spoken, not only written
    // what was heard before the cut comes first, then the bridge
    let i = try #require(answer.range(of: " Sorry, let me start again."))
    #expect(heardAtCut.hasPrefix(String(answer[..<i.lowerBound])))
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

  @Test("the next utterance after an answer is a new turn that sees the heard conversation, not the thoughts")
  func turnsCarryTheHeardConversation() throws {
    let e = try Model135.engine()
    let session = ReasoningSession(engine: e, prompts: .instruct, options: options(.async, answer: 12), clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    let first = words("What is two plus two?")
    let second = words("And three plus three?", start: first.last!.t + 1)
    runner.run(first + second)
    let turnAt = try #require(runner.events.firstIndex { if case .turn = $0.event { return true } else { return false } })
    #expect(runner.events[turnAt].event == .turn(index: 1, droppedTurns: 0))
    let before = runner.events[..<turnAt]
    let spoken = before.compactMap { ev -> String? in if case .spoken(let s, _, _) = ev.event { return s } else { return nil } }.joined()
    let thoughts = before.compactMap { ev -> String? in if case .token(.thinker, let s) = ev.event { return s } else { return nil } }.joined()
    #expect(session.turns.count == 1)
    #expect(session.turns[0].user == "What is two plus two?")
    #expect(session.turns[0].assistant == spoken.trimmingCharacters(in: .whitespacesAndNewlines))
    let history = PromptSet.instruct.historyText(session.turns)
    #expect(!thoughts.isEmpty && !history.contains(thoughts.trimmingCharacters(in: .whitespacesAndNewlines)))
    let want = e.tokenizer.encodePlain(history).count
    #expect(session.historyLengths.thinker == want && session.historyLengths.writer == want)
    // the second turn's input holds only the second question
    #expect(session.heardWords == ["And", "three", "plus", "three?"])
    #expect(session.inputLengths.thinker == e.tokenizer.encodePlain("And three plus three?").count)
  }

  @Test("past the history limit the oldest turns are dropped, with an event")
  func oldestTurnsDropAtTheLimit() throws {
    let e = try Model135.engine()
    let session = ReasoningSession(engine: e, prompts: .instruct, options: options(.nothink, answer: 8), clock: VirtualClock())
    session.historyTokenLimit = 40
    let runner = ScenarioRunner(session: session)
    var user: [TimedEvent] = []
    for q in ["Name a colour.", "Name a fruit.", "Name an animal.", "Name a city."] {
      user += words(q, start: (user.last?.t ?? 0) + 1)
    }
    runner.run(user)
    let turns = runner.events.compactMap { ev -> (Int, Int)? in if case .turn(let i, let d) = ev.event { return (i, d) } else { return nil } }
    #expect(turns.map(\.0) == [1, 2, 3])
    #expect(turns.contains { $0.1 > 0 })
    #expect(session.historyLengths.thinker <= 40 && session.historyLengths.thinker > 0)
    #expect(session.turns.last?.user == "Name an animal.")
  }

  @Test("after a spoken answer the next turn is set up while the user is silent; the result keeps the answered turn")
  func nextTurnPreparedWhileSilent() throws {
    let e = try Model135.engine()
    let session = ReasoningSession(engine: e, prompts: .instruct, options: options(.nothink, answer: 8), clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    let first = words("Name a colour.")
    runner.run(first + words("Name a fruit.", start: first.last!.t + 2))
    let heard = runner.events.filter { if case .heard = $0.event { return true } else { return false } }
    let turn = runner.events.firstIndex { if case .turn = $0.event { return true } else { return false } }
    let second = runner.events.firstIndex { $0.t == heard[3].t && $0.event == heard[3].event }
    #expect(turn != nil && turn! + 1 == second)  // the turn event comes with the first word of the next question
    #expect(session.historyLengths.thinker > 0)
    #expect(session.turns.count == 1 && session.turns[0].user == "Name a colour.")
    let answer = session.answerText
    #expect(!answer.isEmpty)
    #expect(!session.prepareNextTurn())  // not before the answer has been spoken
    session.clock.wait(until: session.speech.endOfSpeech)
    #expect(session.prepareNextTurn())  // idle after the last answer, as the demo is
    #expect(session.answerText.isEmpty && session.turns.count == 2)
    let r = runner.result(id: "x", mode: .nothink, expected: nil)
    #expect(r.answer == answer.trimmingCharacters(in: .whitespacesAndNewlines))
    #expect(r.metrics.timeToFirstWord != nil)
  }

  @Test("the relative probe measures its empty-notes baseline once per input, while the user speaks")
  func relativeProbeBaseline() throws {
    let e = try Model135.engine()
    let session = ReasoningSession(engine: e, prompts: .instructGated, options: options(.async, answer: 8), clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    runner.run(words("I have 3 apples. I buy 2 more. How many now?"))
    let probeEvents = runner.events.filter { if case .probe = $0.event { return true } else { return false } }
    #expect(!probeEvents.isEmpty)
    // one baseline per distinct input at a complete sentence (3 sentences), then the probes themselves
    #expect(session.probes >= probeEvents.count + 1)
    #expect(session.probes <= probeEvents.count + 3)
  }
}

// Shares the cached engine with the session tests, so it runs in their serialized suite.
extension SessionTests {
  func scenario(_ id: String, _ text: String, expect: AnswerCheck) -> Transcript {
    var t = Transcript(header: ["kind": "scenario", "id": id], events: words(text))
    var d: [String: Any] = ["kind": expect.kind]
    if let v = expect.value { d["value"] = v }
    if let k = expect.keywords { d["keywords"] = k }
    t.header["expected"] = d
    return t
  }

  @Test("eval on two scenarios in three modes, virtual time: the table follows from the runs")
  func twoScenarios() throws {
    let e = try Model135.engine()
    let scenarios = [
      scenario("capital", "What is the capital of France?", expect: AnswerCheck(kind: "keywords", keywords: ["Paris"])),
      scenario("sum", "I have 3 apples. I buy 2 more. How many apples do I have?", expect: AnswerCheck(kind: "number", value: "5")),
    ]
    var o = PolicyOptions()
    o.thoughtBudget = 16  // after the question; the overall limit stays far off
    o.speakAfter = 16
    o.answerBudget = 16
    let evaluation = EvaluationRun(scenarios: scenarios, strategies: [.async, .think, .nothink], virtualTime: true) { s, clock in
      var opts = o
      opts.strategy = s
      return ReasoningSession(engine: e, prompts: .instruct, options: opts, clock: clock)
    }
    var seen: [String] = []
    let results = evaluation.run { done, total, id, s in
      #expect(total == 6 && done == seen.count + 1)
      seen.append("\(id)/\(s.rawValue)")
    }
    #expect(seen == ["capital/async", "capital/think", "capital/nothink", "sum/async", "sum/think", "sum/nothink"])
    let by = Dictionary(uniqueKeysWithValues: results.map { ("\($0.id)/\($0.mode.rawValue)", $0) })
    for id in ["capital", "sum"] {
      let a = by["\(id)/async"]!, t = by["\(id)/think"]!, n = by["\(id)/nothink"]!
      #expect(n.thinkerTokens == 0 && t.thinkerTokens >= 16 && a.thinkerTokens > 0)
      // think mode speaks only after its 16-note budget: at least 16 virtual steps of silence
      #expect(t.metrics.timeToFirstWord! >= 16 * VirtualClock().stepSeconds)
      #expect(n.metrics.timeToFirstWord! < t.metrics.timeToFirstWord!)
      for r in [a, t, n] {
        #expect(!r.answer.isEmpty)
        #expect(r.correct == scenarios.first { $0.id == id }!.expected!.check(r.answer))
      }
    }
    let table = EvaluationTable(results: results)
    #expect(table.rows.map(\.mode) == [.async, .think, .nothink] && table.rows.allSatisfy { $0.n == 2 })
    for row in table.rows {
      let rs = results.filter { $0.mode == row.mode }
      #expect(abs(row.meanTTFW - rs.map { $0.metrics.timeToFirstWord! }.reduce(0, +) / 2) < 1e-9)
      #expect(abs(row.totalDelay - rs.map(\.metrics.totalDelay).reduce(0, +) / 2) < 1e-9)
      #expect(row.accuracy == Double(rs.filter { $0.correct == true }.count) / 2)
    }
    let ratio = table.rows[1].totalDelay / table.rows[0].totalDelay
    #expect(table.render(markdown: true).contains(String(format: "async vs think: total delay %.1f× less", ratio)))
  }
}
