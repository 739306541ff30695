import Foundation
import Reasoning
import Session
import Testing
import Transformer

/// Every capacity is a rule: the input blocks, the stream blocks and the model's context each
/// end in a stated outcome (a note event, then the turn goes on or ends), never in a write past
/// a block (which the checked build would stop at as a crash, failing these tests).
@Suite(.serialized) struct CapacityTests {
  /// Its own engine: a `Model` is used by one thread at a time, and `SessionTests` (another suite,
  /// which may run at the same time) uses `Model135`'s.
  nonisolated(unsafe) static var cached: Engine?
  static func engine() throws -> Engine {
    if let e = cached { return e }
    let e = try Model135.load()
    cached = e
    return e
  }

  func options(_ s: PolicyOptions.Strategy, _ tweak: (inout PolicyOptions) -> Void = { _ in }) -> PolicyOptions {
    var o = PolicyOptions()
    o.strategy = s
    o.answerBudget = 24
    o.thoughtBudget = 16
    o.maxThoughts = 40
    tweak(&o)
    return o
  }

  func notes(_ r: ScenarioRunner) -> [String] {
    r.events.compactMap { if case .notice(let s) = $0.event { return s } else { return nil } }
  }

  func modeReasons(_ r: ScenarioRunner) -> [String] {
    r.events.compactMap { if case .mode(_, let why) = $0.event { return why } else { return nil } }
  }

  func finished(_ r: ScenarioRunner) -> Bool {
    if case .finished = r.events.last(where: { if case .finished = $0.event { return true } else { return false } })?.event {
      return true
    }
    return false
  }

  static func manyWords(_ n: Int) -> String {
    let base = "please count the red apples and the green pears in the big basket on the kitchen table".split(separator: " ")
    return (0..<n).map { String(base[$0 % base.count]) }.joined(separator: " ") + "?"
  }

  @Test("an utterance longer than the input block is cut with one note; the turn is answered")
  func longUtterance() throws {
    let e = try Self.engine()
    let s = ReasoningSession(engine: e, prompts: .instruct, options: options(.nothink), clock: VirtualClock(), inputCapacity: 48)
    let r = ScenarioRunner(session: s)
    r.run(words(Self.manyWords(120), gap: 0.05))
    #expect(notes(r).count == 1)
    #expect(notes(r).first?.hasPrefix("input full: the model hears the first 48 tokens") == true, "\(notes(r))")
    #expect(s.inputLengths == (48, 48))
    #expect(s.writerTokens.count > 0)
    #expect(finished(r))
  }

  @Test("an interjection longer than the input block is cut with a note; the answer is redone and ends")
  func longInterjection() throws {
    let e = try Self.engine()
    let s = ReasoningSession(
      engine: e, prompts: .instruct, options: options(.async), clock: VirtualClock(), wordsPerMinute: 120, inputCapacity: 64)
    let r = ScenarioRunner(session: s)
    var user = words("What is seven times six?")
    user.append(TimedEvent(t: user.last!.t + 1.0, event: .interjection(Self.manyWords(300))))
    r.run(user)
    #expect(notes(r).contains { $0.hasPrefix("input full") }, "\(notes(r))")
    #expect(s.inputLengths.thinker <= 64 && s.inputLengths == (s.inputLengths.thinker, s.inputLengths.thinker))
    let interjected = try #require(r.events.firstIndex { if case .interjection = $0.event { return true } else { return false } })
    #expect(r.events[interjected...].contains { if case .finished = $0.event { return true } else { return false } })
  }

  @Test("a full writer block ends the answer with a note (not past the block)")
  func writerBlockFull() throws {
    let e = try Self.engine()
    let s = ReasoningSession(
      engine: e, prompts: .instruct, options: options(.nothink) { $0.answerBudget = 1000 }, clock: VirtualClock(),
      streamCapacity: 32)
    let r = ScenarioRunner(session: s)
    r.run(words("Tell me a long story about a dragon and a knight."))
    #expect(notes(r).contains { $0.hasPrefix("writer stopped: no room left (its block 32/32 tokens") }, "\(notes(r))")
    #expect(modeReasons(r).contains("answer stopped: no room left for it"))
    #expect(s.writerCachedTokens <= 32 && s.writerTokens.count >= 20)
    #expect(finished(r))
  }

  @Test("a full thinker block ends the thoughts with a note, and the writer speaks")
  func thinkerBlockFull() throws {
    let e = try Self.engine()
    let o = options(.think) {
      $0.thoughtBudget = 1000
      $0.maxThoughts = 1000
      $0.thinkWhileListening = false  // the thinker fills after the question (while listening: see the policy tests)
    }
    let s = ReasoningSession(engine: e, prompts: .instruct, options: o, clock: VirtualClock(), streamCapacity: 40)
    let r = ScenarioRunner(session: s)
    r.run(words("A farmer has 17 sheep. All but 9 run away. How many are left?"))
    #expect(notes(r).contains { $0.hasPrefix("thinker stopped: no room left (its block 40/40 tokens") }, "\(notes(r))")
    #expect(modeReasons(r).contains("thoughts stopped: no room left for them"))
    #expect(s.writerTokens.count > 0)
    #expect(finished(r))
  }

  @Test("the model's context limit bounds the input and the streams (a 512-token context)")
  func tinyContext() throws {
    let e = try Engine(path: Model135.path, threads: 2, maxContext: 512)
    #expect(e.model.maxContext == 512)
    let o = options(.async) {
      $0.answerBudget = 100_000
      $0.thoughtBudget = 100_000
      $0.speakAfter = 100_000
      $0.pauseAtSentences = false
      $0.maxThoughts = 100_000
      $0.probeInterval = 100_000
      $0.probeAtLinesAfter = 0
      // Loops end the streams before the limit does (the AVX-512 kernels' thoughts repeat a line).
      $0.endLoops = false
      $0.endThoughtLoops = false
    }
    let s = ReasoningSession(engine: e, prompts: .instruct, options: o, clock: VirtualClock(), wordsPerMinute: 100_000)
    let r = ScenarioRunner(session: s)
    r.run(words(Self.manyWords(300), gap: 0.02))
    let n = notes(r)
    #expect(n.contains { $0.hasPrefix("input full") && $0.contains("context 512") }, "\(n)")
    #expect(n.contains { $0.hasPrefix("thinker stopped") } || n.contains { $0.hasPrefix("writer stopped") }, "\(n)")
    #expect(s.inputLengths.thinker < 512 - ReasoningSession.streamReserve)
    #expect(finished(r))
  }
}

extension CapacityTests {
  func count(_ r: ScenarioRunner, _ match: (ReasoningEvent) -> Bool) -> Int { r.events.filter { match($0.event) }.count }

  @Test("a 3,000-word utterance: heard up to the input's room with one note, then answered and finished")
  func utterance3000Words() throws {
    let e = try Self.engine()
    let s = ReasoningSession(engine: e, prompts: .instruct, options: options(.nothink), clock: VirtualClock(), inputCapacity: 128)
    let r = ScenarioRunner(session: s)
    r.run(words(Self.manyWords(3000), gap: 0.05))
    #expect(count(r) { if case .heard = $0 { return true } else { return false } } == 3000)
    #expect(notes(r).count == 1, "\(notes(r))")
    #expect(notes(r).first?.hasPrefix("input full: the model hears the first 128 tokens") == true, "\(notes(r))")
    #expect(s.inputLengths == (128, 128))  // the KV blocks hold what fits, no more
    #expect(finished(r) && s.writerTokens.count > 0)
  }

  @Test("a 3,000-word interjection during the answer: cut with a note, quoted in 100 words, the answer redone and finished")
  func interjection3000Words() throws {
    let e = try Self.engine()
    let s = ReasoningSession(
      engine: e, prompts: .instruct, options: options(.async), clock: VirtualClock(), wordsPerMinute: 120, inputCapacity: 128)
    let r = ScenarioRunner(session: s)
    var user = words("What is seven times six?")
    user.append(TimedEvent(t: user.last!.t + 1.0, event: .interjection(Self.manyWords(3000))))
    r.run(user)
    #expect(notes(r).contains { $0.hasPrefix("input full") }, "\(notes(r))")
    #expect(s.inputLengths.thinker <= 128 && s.inputLengths.writer <= 128)
    let interjected = try #require(r.events.firstIndex { if case .interjection = $0.event { return true } else { return false } })
    #expect(r.events[interjected...].contains { if case .finished = $0.event { return true } else { return false } })
  }

  @Test("a 30-turn conversation: every turn answered and finished, the oldest turns dropped from a bounded history")
  func thirtyTurns() throws {
    let e = try Self.engine()
    // Small answers and history: each turn re-encodes its history (twice), which is most of the cost.
    let o = options(.nothink) { $0.answerBudget = 2 }
    let s = ReasoningSession(engine: e, prompts: .instruct, options: o, clock: VirtualClock())
    s.historyTokenLimit = 32
    let r = ScenarioRunner(session: s)
    var user: [TimedEvent] = []
    for k in 0..<30 { user += words("Add \(k + 2) and 3.", start: (user.last?.t ?? 0) + 1.5, gap: 0.1) }
    r.run(user)
    let turns = r.events.compactMap { if case .turn(let i, let d) = $0.event { return (i, d) } else { return nil } }
    #expect(turns.map(\.0) == Array(1...29))  // every later question began its own turn
    #expect(count(r) { if case .finished = $0 { return true } else { return false } } == 30)
    #expect(turns.reduce(0) { $0 + $1.1 } > 0)  // the oldest turns left, each said by its turn event
    #expect(s.turns.count < 29 && s.historyLengths.thinker <= 32 && s.historyLengths.writer <= 32)
  }
}

/// The policy's side of the capacity rules, as a table (no model).
@Suite struct CapacityPolicyTests {
  func thinking(userSpeaking: Bool) -> ReasoningPolicy {
    var o = PolicyOptions()
    o.probeInterval = 100
    o.probeAtEndMinThoughts = 100
    var p = ReasoningPolicy(options: o)
    p.observe(.heardWords(sentenceComplete: true))
    if !userSpeaking { p.observe(.endOfUtterance) }
    return p
  }

  @Test func fullThinkerSpeaksOnceTheUserIsDone() {
    var p = thinking(userSpeaking: false)
    #expect(p.mode == .thinking)
    p.observe(.streamFull(thinker: true, writer: false))
    #expect(p.mode == .speaking)
    #expect(p.nextAction() == .step(thinker: false, writer: true))
  }

  @Test func fullThinkerWaitsWhileTheUserSpeaks() {
    var p = thinking(userSpeaking: true)
    p.observe(.streamFull(thinker: true, writer: false))
    #expect(p.mode == .thinking)
    #expect(p.nextAction() == .wait)
    p.observe(.endOfUtterance)
    #expect(p.mode == .speaking)
  }

  @Test func fullWriterEndsTheAnswer() {
    var p = thinking(userSpeaking: false)
    p.observe(.probeAnswered(yes: true))
    #expect(p.mode == .thinkingAndSpeaking)
    p.observe(.streamFull(thinker: false, writer: true))
    #expect(p.mode == .done)
    #expect(p.drainChanges().last?.1 == "answer stopped: no room left for it")
    #expect(p.nextAction() == .finish("answer complete"))
  }
}
