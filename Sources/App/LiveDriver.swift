import Foundation
import Reasoning
import Session

/// Runs scenarios live: the engine on its own serial queue (`ScenarioRunner`'s one loop on the
/// clock `makeClock` gives each scenario: wall time, or a test's), the screen on the main thread.
///
/// Threads: the engine queue runs the scenarios; `poll`, `interject`, `next` and the status come
/// from the screen's thread. Everything both touch is under `lock`; a line typed while no
/// scenario runs (between two) waits for the next one instead of being lost.
public final class LiveDriver: EventSourceDriver, @unchecked Sendable {
  public let scenarios: [Transcript]
  public let strategy: PolicyOptions.Strategy
  public let recordDir: String?
  /// A session for the next scenario on the given clock (the engine and the options are the
  /// caller's), the recording header of a scenario, and each scenario's clock.
  private let makeSession: (SessionClock) -> ReasoningSession
  private let header: (Transcript) -> [String: Any]
  private let makeClock: () -> SessionClock
  /// Session seconds between two scenarios (on the finished one's clock).
  public var pauseBetween = 2.0
  let feed = EventFeed()
  private let engineQueue = DispatchQueue(label: "asyncvoice.engine")
  private let done = DispatchGroup()
  private let lock = NSLock()
  // Under `lock`:
  private var runner: ScenarioRunner?
  private var clock: SessionClock?
  private var index = 0
  private var typedBetween: [String] = []
  private var skipPause = false
  private var resetPending = false
  private var isFinished = false
  private var path = ""
  private var error: String?
  private var lastRTF = 0.0
  /// When the last interjection was typed, and how long it took to reach the engine.
  private var keyTime: Date?
  private var keyLatency: Double?
  // The screen's thread only:
  private var consumed = 0
  private var frozen = false
  /// A person can type (a terminal): the conversation stays open after the last scenario.
  public var interactive = true
  /// Says each scenario's answer aloud as its speech clock says (`--voice`); set before `startNext`.
  public var voice: Voice?
  /// A short note for the status line (set before `startNext`), e.g. why there is no voice.
  public var statusNote: String?

  public init(
    scenarios: [Transcript], strategy: PolicyOptions.Strategy, recordDir: String?,
    makeSession: @escaping (SessionClock) -> ReasoningSession, header: @escaping (Transcript) -> [String: Any],
    makeClock: @escaping () -> SessionClock = { RealClock() }
  ) {
    self.scenarios = scenarios
    self.strategy = strategy
    self.recordDir = recordDir
    self.makeSession = makeSession
    self.header = header
    self.makeClock = makeClock
  }

  private func locked<T>(_ body: () -> T) -> T {
    lock.lock()
    defer { lock.unlock() }
    return body()
  }

  public var finished: Bool { locked { isFinished } }
  /// The scenario whose loop runs now (nil before the first, between two, after the last).
  public var runningScenario: Int? { locked { runner != nil ? index - 1 : nil } }
  public var recordingPath: String { locked { path } }
  public var recordingError: String? { locked { error } }

  /// Blocks until every scenario has run (tests, and a caller without a screen).
  public func waitUntilFinished() { done.wait() }

  public func startNext() {
    done.enter()
    engineQueue.async { [self] in
      while let i = locked({ index < scenarios.count ? index : nil }) {
        run(scenarios[i], last: i == scenarios.count - 1)
      }
      locked { isFinished = true }
      done.leave()
    }
  }

  /// One scenario, on the engine queue.
  private func run(_ sc: Transcript, last: Bool) {
    let clock = makeClock()
    let r = ScenarioRunner(session: makeSession(clock))
    r.tail = 4
    // After the last scenario the conversation stays open: a typed line is the next question.
    r.keepListening = interactive && last
    let recorder = openRecorder(sc)
    voice?.begin(clock: clock)
    r.onEvent = { [feed, voice] e in
      feed.append(e)
      voice?.handle(e)
      recorder?.record(e)
      if let f = recorder?.failure { self.recordingFailed(f) }
    }
    locked {
      index += 1
      feed.reset()
      resetPending = true
      self.clock = clock
      runner = r
      skipPause = false
      for text in typedBetween { r.interject(text) }  // typed while no scenario ran
      typedBetween = []
    }
    // The open conversation after the last scenario has no time limit (history drops the oldest turns).
    r.run(sc.userEvents, maxSeconds: r.keepListening ? .infinity : 300)
    let res = r.result(id: sc.id, mode: strategy, expected: sc.expected)
    recorder?.writeMetrics(res)
    if let f = recorder?.failure { recordingFailed(f) }
    recorder?.close()
    voice?.end()  // cancelled (`n`): the voice stops with the scenario
    locked {
      lastRTF = res.realTimeFactor
      runner = nil
      // Lines typed after the loop's last look at its inbox go to the next scenario.
      for case .interjection(let text) in r.drainInbox().map(\.event) { typedBetween.append(text) }
    }
    guard !r.isCancelled && !last else { return }
    let end = clock.now + pauseBetween
    while clock.now < end && !locked({ skipPause }) { clock.wait(until: end) }
  }

  /// A .jsonl path records the one scenario there; otherwise a stamped file in the folder.
  private func openRecorder(_ sc: Transcript) -> Recorder? {
    guard let dir = recordDir else { return nil }
    let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
    let file = dir.hasSuffix(".jsonl") ? dir : "\(dir)/\(stamp)-\(sc.id).jsonl"
    locked { path = file }
    do {
      return try Recorder(path: file, header: header(sc))
    } catch {
      locked { self.error = "cannot record to \(file): \(error)" }
      return nil
    }
  }

  /// A write to the recording failed: the status shows REC FAILED, the exit status is 1.
  private func recordingFailed(_ reason: String) {
    locked { if error == nil { error = "recording stopped: \(reason)" } }
  }

  public func poll(wall dt: Double) -> (events: [TimedEvent], now: Double, reset: Bool) {
    lock.lock()
    let reset = resetPending
    resetPending = false
    if reset { consumed = 0 }
    let now = clock?.now ?? 0
    // Read under the lock: a reset between the flag and the read would skip events.
    let ev = frozen ? [] : feed.since(consumed)
    consumed += ev.count
    if let k = keyTime, ev.contains(where: { if case .interjection = $0.event { return true } else { return false } }) {
      keyLatency = Date().timeIntervalSince(k)
      keyTime = nil
    }
    lock.unlock()
    return (ev, now, reset)
  }

  public func interject(_ text: String) {
    locked {
      keyTime = Date()
      if let r = runner { r.interject(text) } else { typedBetween.append(text) }
    }
  }
  public func togglePause() { frozen.toggle() }
  public func changeSpeed(_ factor: Double) {}
  public func next() {
    let c: SessionClock? = locked {
      runner?.cancel()
      skipPause = true
      return clock
    }
    c?.wake()
  }
  public func step() {}
  public func jump(forward: Bool) {}
  public var statusFields: [String] {
    locked {
      let sc = index > 0 ? scenarios[index - 1].id : ""
      // REC FAILED first: the status line leaves out the fields that do not fit.
      var f = error != nil ? ["REC FAILED"] : []
      f += ["\(index)/\(scenarios.count) \(sc)", "1.0x"]
      if lastRTF > 0 { f.append(String(format: "RTF %.2f", lastRTF)) }
      if let k = keyLatency { f.append(String(format: "key→engine %.0f ms", k * 1000)) }
      if error == nil && recordDir != nil { f.append("● REC") }
      if frozen { f.append("⏸ display paused") }
      if let n = statusNote { f.append(n) }
      if isFinished {
        f.append("all scenarios done, q quits")
      } else if index == scenarios.count {
        f.append("type a question, n ends")
      }
      return f
    }
  }
  public var title: String { "demo" }
}
