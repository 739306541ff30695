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

@Suite(.serialized) struct SessionTests {
  func options(_ s: PolicyOptions.Strategy, answer: Int = 24) -> PolicyOptions {
    var o = PolicyOptions()
    o.strategy = s
    o.answerBudget = answer
    o.thoughtBudget = 16
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
    var ids = tok.encode(p.writerPrefix)
    for (i, w) in question.split(separator: " ").enumerated() { ids += tok.encodePlain(i == 0 ? String(w) : " " + w) }
    ids += tok.encode(p.writerMid) + tok.encode(p.writerSplit) + tok.encode(p.writerStarter)
    let b = e.store.makeBlock("plain", capacity: ids.count + 64)
    defer { e.store.remove(b) }
    e.model.prefill(ids, view: [b], store: e.store)
    var want: [Int32] = []
    for _ in 0..<session.writerTokens.count {
      let next = Sampler.argmax(e.model.logits(0))!
      if e.stopTokens.contains(next) { break }
      want.append(next)
      e.model.forward(tokens: [next], views: [[b]], store: e.store, logitsFor: [0])
    }
    #expect(!want.isEmpty)
    #expect(session.writerTokens == want)
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
        let spokenBefore = runner.events.filter { $0.t <= ev.t }.compactMap { e -> String? in if case .spoken(let s) = e.event { return s } else { return nil } }
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
    let spoken = before.compactMap { ev -> String? in if case .spoken(let s) = ev.event { return s } else { return nil } }.joined()
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
