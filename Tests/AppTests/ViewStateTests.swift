import App
import Reasoning
import Session
import Terminal
import Testing

/// `ViewState`, the fold of events into what the panes show, driven by event sequences.
@Suite struct ViewStateTests {
  static func at(_ t: Double, _ e: ReasoningEvent) -> TimedEvent { TimedEvent(t: t, event: e) }

  static func fold(_ events: [TimedEvent]) -> ViewState {
    let s = ViewState()
    for e in events { s.apply(e) }
    return s
  }

  /// The answer pane as (text, style) pairs, adjacent spans of one style joined.
  static func speaking(_ s: ViewState, at now: Double) -> [(String, Style)] {
    var out: [(String, Style)] = []
    for span in s.speakingSpans(at: now) {
      if let last = out.last, last.1 == span.style {
        out[out.count - 1].0 += span.text
      } else {
        out.append((span.text, span.style))
      }
    }
    return out
  }

  /// A question, then an answer written in two chunks said on the schedule the events carry.
  static let answer: [TimedEvent] = [
    at(0.5, .heard("Seventeen")), at(0.9, .heard("times?")), at(1.0, .endOfUtterance),
    at(1.0, .mode(.speaking, reason: "thoughts ended")),
    at(1.1, .token(.writer, "It is")), at(1.2, .token(.writer, " four hundred")),
    at(1.2, .spoken("It is four hundred", start: 1.5, duration: 2.0)),
    at(1.3, .token(.writer, " and eight.")), at(1.3, .spoken(" and eight.", start: 3.5, duration: 1.0)),
  ]

  @Test("the spoken part follows the schedule in the events, not a speaking rate")
  func spokenFollowsSchedule() {
    let s = Self.fold(Self.answer)
    #expect(Self.speaking(s, at: 1.4).map(\.1) == [.unspoken, .silence])  // waiting since 1.0
    // Half-way through the first chunk (2 s for four words: far slower than 170 wpm).
    let half = Self.speaking(s, at: 2.5)
    #expect(half.map(\.1) == [.spoken, .unspoken])
    #expect(half[0].0 == "It is four")  // each word from its time: 1.5, 2.0, 2.5, 3.0 s
    #expect(Self.speaking(s, at: 4.5).map(\.1) == [.spoken])
    #expect(s.metrics(at: 4.5).timeToFirstWord == 0.5)
    #expect(s.silence(at: 1.4) != nil && s.silence(at: 2.0) == nil)
  }

  @Test("an interjection cuts what was not said; the answer resumes on a new line after it, on its own schedule")
  func cutAndResume() {
    let s = Self.fold(
      Self.answer + [
        Self.at(2.5, .interjection("wait")), Self.at(2.5, .truncated(.writer, dropped: 1)),
        Self.at(2.5, .mode(.thinking, reason: "interjection")), Self.at(2.6, .token(.thinker, "Shorter.")),
        Self.at(2.7, .mode(.speaking, reason: "thoughts ended")), Self.at(2.8, .token(.writer, " Sorry: 408.")),
        Self.at(2.8, .spoken(" Sorry: 408.", start: 3.5, duration: 1.0)),
      ])
    let after = Self.speaking(s, at: 4.5)
    #expect(after.map(\.0) == ["It is four hundred", " and eight.", "\n", " Sorry: 408."])
    #expect(after.map(\.1) == [.spoken, .cut, .mark, .spoken])
    // The cut chunk is not in the schedule: no silence counted for it, the new chunk is said.
    #expect(s.metrics(at: 4.5).totalDelay == 0.5)
    #expect(s.heard.last?.text == "\n» wait")
  }

  @Test("a new turn keeps the earlier answer as said and measures the next from its own question")
  func newTurn() {
    let s = Self.fold(
      Self.answer + [
        Self.at(4.5, .mode(.done, reason: "answer complete")), Self.at(6.0, .turn(index: 1, droppedTurns: 0)),
        Self.at(6.0, .heard("Plus")), Self.at(6.3, .heard("one?")), Self.at(6.5, .endOfUtterance),
        Self.at(6.6, .mode(.speaking, reason: "thoughts ended")), Self.at(6.7, .token(.writer, "409.")),
        Self.at(6.7, .spoken("409.", start: 7.5, duration: 0.5)),
      ])
    let now = Self.speaking(s, at: 7.0)
    #expect(now.first?.0 == "It is four hundred and eight.")
    #expect(now.first?.1 == .spoken)
    #expect(now.contains { $0.0.contains("turn 2") })
    #expect(now.contains { $0.0 == "409." && $0.1 == .unspoken })
    #expect(s.metrics(at: 8).timeToFirstWord == 1.0)  // 7.5 − 6.5, not from the first question
  }

  @Test("seeking a replay rebuilds the state playing gives: forwards, backwards, on a shortened gap")
  func replaySeek() {
    let events =
      Self.answer + [
        Self.at(9.0, .interjection("wait")), Self.at(9.1, .mode(.thinking, reason: "interjection")),
        Self.at(9.2, .token(.writer, " Again.")), Self.at(9.2, .spoken(" Again.", start: 9.5, duration: 0.5)),
      ]
    func screen(_ s: ViewState, _ now: Double) -> [Span] { s.viewModel(now: now, ascii: true, base: ViewModel()).speaking }
    // Played from the start in 0.25 s steps (exact in binary, so both reach the same instant),
    // against seeking there from 4 s in; 1.3 … 9.0 s is shortened to 3 s.
    for target in [0.25, 1.25, 2.25, 3.5, 4.25] {
      let played = ReplayDriver(events: events, speed: 1, maxGap: 3, name: "x")
      var state = ViewState()
      var now = 0.0
      var wall = 0.0
      while now < target {
        let (new, n, reset) = played.poll(wall: wall)
        if reset { state = ViewState() }
        for e in new { state.apply(e) }
        now = n
        wall = 0.25
      }
      let seeker = ReplayDriver(events: events, speed: 1, maxGap: 3, name: "x")
      _ = seeker.poll(wall: 4)
      #expect(seeker.seek(.by(target - 4)))
      let (new, at, reset) = seeker.poll(wall: 0)
      #expect(reset && at == now)
      #expect(screen(Self.fold(new), at) == screen(state, now), "seek to \(target) s")
    }
  }

  @Test("layout events fold into the cache map: moves since the layout before, the write block, cuts")
  func layoutFoldsIntoMap() throws {
    func map(thoughts: Int, answer: Int, writing: [String]) -> CacheMap {
      CacheMap(
        views: [
          CacheMap.view("thinker", [("thinker_prefix", 30), ("input_t", 6), ("thinker_output", thoughts)]),
          CacheMap.view(
            "writer",
            [("writer_prefix", 40), ("input_w", 6), ("thinker_output", thoughts), ("writer_split", 9), ("writer_output", answer)]),
        ], writing: writing)
    }
    let s = ViewState()
    s.apply(Self.at(0.5, .heard("Seventeen")))
    #expect(s.cacheMapModel(now: 0.5) == nil)  // no layout yet: no map
    s.apply(Self.at(1.0, .layout(map(thoughts: 10, answer: 0, writing: ["thinker_output"]))))
    s.apply(Self.at(1.4, .layout(map(thoughts: 16, answer: 4, writing: ["thinker_output", "writer_output"]))))
    s.apply(Self.at(1.5, .held(value: "408", dropped: 2)))
    let m = try #require(s.cacheMapModel(now: 1.6))
    #expect(m.time == 1.4)
    let writer = try #require(m.view("writer")), thinker = try #require(m.view("thinker"))
    // the thoughts grew by 6: every later block of the writer's view moved 6 to the right
    #expect(writer.blocks.map(\.shift) == [0, 0, 0, 6, 6])
    #expect(writer.blocks.map(\.offset) == [0, 40, 46, 62, 71])
    #expect(writer.rotation(writer.blocks[4]) == 4 && writer.rotation(writer.blocks[2]) == 29)
    // each view's own write block is marked; the thoughts seen by the writer are not its write block
    #expect(thinker.blocks.map(\.writing) == [false, false, true])
    #expect(writer.blocks.map(\.writing) == [false, false, false, false, true])
    #expect(writer.blocks.last?.cut == 2 && m.notes.count == 1 && m.notes[0].contains("hold: ANSWER −2"))
    // the cut is shown for a while, then only the layout
    #expect(s.cacheMapModel(now: 9)?.notes.isEmpty == true)
    // shown only when the map is on
    var base = ViewModel()
    #expect(s.viewModel(now: 1.6, ascii: false, base: base).cacheMap == nil)
    base.showCacheMap = true
    #expect(s.viewModel(now: 1.6, ascii: false, base: base).cacheMap == m)
  }
}
