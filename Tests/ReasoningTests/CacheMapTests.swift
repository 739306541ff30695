import Reasoning
import Session
import Testing
import Transformer

@Suite struct CacheMapTests {
  @Test("a view's offsets are the lengths of the blocks before it")
  func offsetsFollowLengths() {
    let v = CacheMap.view("writer", [("a", 3), ("b", 0), ("c", 5)])
    #expect(v.entries.map(\.offset) == [0, 3, 3])
    #expect(v.length == 8)
    #expect(CacheMap.view("empty", []).length == 0)
  }
}

/// On the shared small-model engine, so in the serialized session suite.
extension SessionTests {
  @Test(
    "the cache map of a running session: each view's blocks in order, one stream block seen by both views, the step's blocks written"
  )
  func sessionDescribesItsCache() throws {
    let e = try Model135.engine()
    for prompts in [PromptSet.instruct, .worked] {
      var o = PolicyOptions()
      o.strategy = .async
      let session = ReasoningSession(engine: e, prompts: prompts, options: o, clock: VirtualClock())
      for w in "What is seven times six?".split(separator: " ") { session.hear(String(w)) }
      session.endOfUtterance()
      for _ in 0..<6 { session.tick() }
      try checkCacheMap(session, prompts)  // early in the thoughts
      var ticks = 0
      while session.writerTokens.isEmpty && ticks < 400 {
        session.tick()
        ticks += 1
      }
      try #require(!session.writerTokens.isEmpty)
      try checkCacheMap(session, prompts)  // the writer has written
    }
  }

  func checkCacheMap(_ session: ReasoningSession, _ prompts: PromptSet) throws {
    let map = session.cacheMap
    #expect(map.views.map(\.name) == ["thinker", "writer", "probe"])
    let thinker = try #require(map.view("thinker")), writer = try #require(map.view("writer"))
    let probe = try #require(map.view("probe"))
    let answerInThoughts = prompts.thinkerViewHoldsAnswer ? ["writer_output", "thinker_split"] : []
    #expect(
      thinker.entries.map(\.block)
        == ["thinker_prefix", "history_t", "input_t", "thinker_mid"] + answerInThoughts + ["thinker_output"])
    #expect(
      writer.entries.map(\.block)
        == ["writer_prefix", "history_w", "input_w", "writer_mid", "thinker_output", "writer_split", "writer_output"])
    #expect(
      probe.entries.dropLast() == thinker.entries[...] && probe.entries.last?.block == "probe"
        && probe.entries.last?.length == 0)
    for v in map.views {
      #expect(zip(v.entries, v.entries.dropFirst()).allSatisfy { $0.offset + $0.length == $1.offset })
    }
    func length(_ v: CacheMap.View, _ block: String) -> Int? { v.entries.first { $0.block == block }?.length }
    #expect(length(thinker, "input_t") == session.inputLengths.thinker)
    #expect(length(writer, "input_w") == session.inputLengths.writer)
    // the thoughts are stored once: both views see the same block, at different offsets
    #expect(length(thinker, "thinker_output") == length(writer, "thinker_output"))
    #expect((length(thinker, "thinker_output") ?? 0) >= session.thinkerTokens)
    #expect((length(writer, "writer_output") ?? 0) >= session.writerCachedTokens)
    switch session.policy.nextAction() {
    case .step(let t, let w): #expect(map.writing == (t ? ["thinker_output"] : []) + (w ? ["writer_output"] : []))
    case .probe: #expect(map.writing == ["probe"])
    default: #expect(map.writing.isEmpty)
    }
  }
}
