import App
import Foundation
import Reasoning
import Session
import Testing
import Transformer

/// `--voice` through the demo's driver on a clock the test moves by hand: the engine runs on its
/// own queue as in the demo, the voice ticks every 10 ms of session time, and a line typed while
/// a chunk is said stops it there.
@Suite(.serialized) struct LiveVoiceTests {
  /// Records what it is told, with the session time.
  final class FakePlayer: VoicePlayer, @unchecked Sendable {
    let now: () -> Double
    private let lock = NSLock()
    private var recorded: [(t: Double, text: String?)] = []  // nil: stop
    init(now: @escaping () -> Double) { self.now = now }
    func say(_ text: String) { append(text) }
    func stop() { append(nil) }
    private func append(_ text: String?) {
      lock.lock()
      recorded.append((now(), text))
      lock.unlock()
    }
    var calls: [(t: Double, text: String?)] {
      lock.lock()
      defer { lock.unlock() }
      return recorded
    }
  }

  @Test(
    "each chunk said at its start (to the 10 ms tick), an interjection during a chunk stops it at the typed instant, cut chunks never said"
  )
  func voiceThroughTheDriver() throws {
    guard FileManager.default.fileExists(atPath: LivePathTests.modelPath) else { throw CancellationError() }
    let e = try Engine(path: LivePathTests.modelPath, threads: 2)  // its own: suites run in parallel
    let clocks = LivePathTests.Clocks()
    let scenario = Transcript(
      header: ["id": "voice", "kind": "scenario"], events: LivePathTests.words("What is the capital of France?", from: 0.5))
    let driver = LiveDriver(
      scenarios: [scenario], strategy: .nothink, recordDir: nil,
      makeSession: { clock in
        var o = PolicyOptions()
        o.strategy = .nothink
        o.answerBudget = 24
        return ReasoningSession(engine: e, prompts: .instruct, options: o, clock: clock)
      }, header: { _ in [:] }, makeClock: clocks.make)
    driver.interactive = false
    let player = FakePlayer(now: { clocks.clock(0).now })
    let voice = Voice(player: player)
    driver.voice = voice
    driver.startNext()
    let clock = clocks.clock(0)
    Thread {
      driver.waitUntilFinished()
      clock.stop()  // the scenario is over: `untilIdle` returns nil
    }.start()
    var typedAt: Double?
    while let until = clock.untilIdle() {
      var now = clock.now
      while now < until {
        now = min(until, now + 0.01)
        clock.advance(to: now)
        voice.tick()
        // Type while the second chunk is being said (half a second into it).
        let says = player.calls.filter { $0.text != nil }
        if typedAt == nil, says.count == 2, now >= says[1].t + 0.5 {
          typedAt = now
          driver.interject("shorter please")
          break
        }
      }
    }
    let events = driver.poll(wall: 0).events
    let typed = try #require(typedAt, "the answer had fewer than two chunks: \(player.calls)")
    let cut = try #require(events.first { $0.event == .interjection("shorter please") })
    #expect(cut.t == typed)
    // What was said: the schedule's chunks with words (the cut ones dropped), each at its start.
    let schedule = SpeechSchedule(events).chunks.filter { !$0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    let says = player.calls.filter { $0.text != nil }
    #expect(says.map(\.text!) == schedule.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) })
    for (s, c) in zip(says, schedule) {
      #expect(s.t >= c.start && s.t < c.start + 0.0101, "\(s.text!): said at \(s.t), starts at \(c.start)")
    }
    // The stop at the interjection comes right after the second chunk began, at the typed instant.
    let i = try #require(player.calls.firstIndex { $0.text == nil })
    #expect(i == 2 && player.calls[i].t == typed, "\(player.calls)")
    // Chunks scheduled after the cut were dropped, not said (the answer that follows is new).
    let dropped = SpeechSchedule(Array(events.prefix { $0.t < typed })).chunks.filter { $0.start > typed }
    #expect(!dropped.isEmpty, "the test types while later chunks wait: \(player.calls)")
    #expect(player.calls.last?.text == nil, "the voice stops with the scenario")
  }
}
