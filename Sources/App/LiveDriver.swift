import Foundation
import Reasoning
import Session

/// Runs scenarios live: the engine on its own serial queue, user words released by a
/// DispatchSourceTimer at the scenario's times, the screen on the main thread.
public final class LiveDriver: EventSourceDriver, @unchecked Sendable {
  public let scenarios: [Transcript]
  public let strategy: PolicyOptions.Strategy
  public let recordDir: String?
  /// A session for the next scenario on the given clock (the engine and the options are the
  /// caller's), and the recording header of a scenario.
  private let makeSession: (SessionClock) -> ReasoningSession
  private let header: (Transcript) -> [String: Any]
  let feed = EventFeed()
  private let engineQueue = DispatchQueue(label: "asyncvoice.engine")
  private let lock = NSLock()
  private var runner: ScenarioRunner?
  private var index = 0
  private var consumed = 0
  private var start = Date()
  private var frozen = false
  private var resetPending = false
  public private(set) var finished = false
  public private(set) var recordingPath = ""
  public private(set) var recordingError: String?
  /// A person can type (a terminal): the conversation stays open after the last scenario.
  public var interactive = true
  private var lastRTF = 0.0
  /// When the last interjection was typed, and how long it took to reach the engine.
  private var keyTime: Date?
  private var keyLatency: Double?

  public init(
    scenarios: [Transcript], strategy: PolicyOptions.Strategy, recordDir: String?,
    makeSession: @escaping (SessionClock) -> ReasoningSession, header: @escaping (Transcript) -> [String: Any]
  ) {
    self.scenarios = scenarios
    self.strategy = strategy
    self.recordDir = recordDir
    self.makeSession = makeSession
    self.header = header
  }

  public func startNext() {
    engineQueue.async { [self] in
      while index < scenarios.count {
        let sc = scenarios[index]
        index += 1
        lock.lock()
        feed.reset()
        consumed = 0
        resetPending = true
        start = Date()
        lock.unlock()
        let clock = RealClock()
        let session = makeSession(clock)
        let r = ScenarioRunner(session: session)
        r.tail = 4
        // After the last scenario the conversation stays open: a typed line is the next question.
        r.keepListening = interactive && index == scenarios.count
        var recorder: Recorder? = nil
        if let dir = recordDir {
          // A .jsonl path records the one scenario there; otherwise a stamped file in the folder.
          let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
          let path = dir.hasSuffix(".jsonl") ? dir : "\(dir)/\(stamp)-\(sc.id).jsonl"
          do {
            recorder = try Recorder(path: path, header: header(sc))
          } catch {
            lock.lock(); recordingError = "cannot record to \(path): \(error)"; lock.unlock()
          }
          lock.lock(); recordingPath = path; lock.unlock()
        }
        r.onEvent = { [feed] e in
          feed.append(e)
          recorder?.record(e)
          if let f = recorder?.failure { self.recordingFailed(f) }
        }
        lock.lock(); runner = r; lock.unlock()
        // User speech: a DispatchSourceTimer (SpeechFeeder) posts each word at its time. The open
        // conversation after the last scenario has no time limit (history drops the oldest turns).
        r.runLive(sc.userEvents, maxSeconds: r.keepListening ? .infinity : 300)
        let res = r.result(id: sc.id, mode: strategy, expected: sc.expected)
        recorder?.writeMetrics(res)
        if let f = recorder?.failure { recordingFailed(f) }
        recorder?.close()
        lock.lock(); lastRTF = res.realTimeFactor; runner = nil; lock.unlock()
        if r.cancelled { continue }
        Thread.sleep(forTimeInterval: 2)
      }
      lock.lock(); finished = true; lock.unlock()
    }
  }

  /// A write to the recording failed: the status shows REC FAILED, the exit status is 1.
  private func recordingFailed(_ reason: String) {
    lock.lock()
    if recordingError == nil { recordingError = "recording stopped: \(reason)" }
    lock.unlock()
  }

  public func poll(wall dt: Double) -> (events: [TimedEvent], now: Double, reset: Bool) {
    lock.lock()
    let reset = resetPending
    resetPending = false
    if reset { consumed = 0 }
    let now = Date().timeIntervalSince(start)
    lock.unlock()
    if frozen { return ([], now, reset) }
    let ev = feed.since(consumed)
    consumed += ev.count
    if let k = keyTime, ev.contains(where: { if case .interjection = $0.event { return true } else { return false } }) {
      lock.lock()
      keyLatency = Date().timeIntervalSince(k)
      keyTime = nil
      lock.unlock()
    }
    return (ev, now, reset)
  }

  public func interject(_ text: String) {
    lock.lock()
    let r = runner
    keyTime = Date()
    lock.unlock()
    r?.interject(text)
  }
  public func togglePause() { frozen.toggle() }
  public func changeSpeed(_ factor: Double) {}
  public func next() {
    lock.lock()
    runner?.cancelled = true
    lock.unlock()
  }
  public func step() {}
  public func jump(forward: Bool) {}
  public var statusFields: [String] {
    lock.lock()
    defer { lock.unlock() }
    let sc = index > 0 ? scenarios[index - 1].id : ""
    var f = ["\(index)/\(scenarios.count) \(sc)", "1.0x"]
    if lastRTF > 0 { f.append(String(format: "RTF %.2f", lastRTF)) }
    if let k = keyLatency { f.append(String(format: "key→engine %.0f ms", k * 1000)) }
    if recordingError != nil { f.append("REC FAILED") } else if recordDir != nil { f.append("● REC") }
    if frozen { f.append("⏸ display paused") }
    if finished {
      f.append("all scenarios done, q quits")
    } else if index == scenarios.count {
      f.append("type a question, n ends")
    }
    return f
  }
  public var title: String { "demo" }
}
