import Foundation
import Reasoning
import Transformer

/// The outcome of one scenario run.
public struct RunResult: Sendable {
  public var id: String
  public var mode: PolicyOptions.Strategy
  public var events: [TimedEvent]
  public var answer: String
  public var correct: Bool?
  public var metrics: DelayMetrics
  public var thinkerTokens: Int
  public var steps: Int
  public var probes: Int
  public var computeSeconds: Double
  public var simulatedSeconds: Double
  public var blockedTokens: Int
  /// The scenario's tags (per-tag rows of the eval table).
  public var tags: [String] = []
  /// Which repeat of the scenario (0 = its timing as written; `eval --repeat`).
  public var repeatIndex = 0
  public var realTimeFactor: Double { simulatedSeconds > 0 ? computeSeconds / simulatedSeconds : 0 }

  public init(
    id: String, mode: PolicyOptions.Strategy, events: [TimedEvent], answer: String, correct: Bool?, metrics: DelayMetrics,
    thinkerTokens: Int, steps: Int, probes: Int, computeSeconds: Double, simulatedSeconds: Double, blockedTokens: Int
  ) {
    self.id = id
    self.mode = mode
    self.events = events
    self.answer = answer
    self.correct = correct
    self.metrics = metrics
    self.thinkerTokens = thinkerTokens
    self.steps = steps
    self.probes = probes
    self.computeSeconds = computeSeconds
    self.simulatedSeconds = simulatedSeconds
    self.blockedTokens = blockedTokens
  }

  public var json: [String: Any] {
    var d: [String: Any] = [
      "id": id, "mode": mode.rawValue, "answer": answer, "thinker_tokens": thinkerTokens, "steps": steps,
      "probes": probes, "compute_seconds": computeSeconds, "simulated_seconds": simulatedSeconds,
      "real_time_factor": realTimeFactor, "total_delay": metrics.totalDelay, "adjusted_delay": metrics.adjustedDelay,
      "pauses": metrics.pauses, "blocked_tokens": blockedTokens, "tags": tags, "repeat": repeatIndex,
    ]
    d["time_to_first_word"] = metrics.timeToFirstWord ?? NSNull()
    d["correct"] = correct ?? NSNull()
    return d
  }
}

/// Plays a scenario's user side into a reasoning session on a clock (virtual or real) and
/// collects every event. Used by `run`, `eval`, `demo` (on its engine queue) and tests.
public final class ScenarioRunner {
  public let session: ReasoningSession
  public private(set) var events: [TimedEvent] = []
  public var onEvent: (TimedEvent) -> Void = { _ in }
  /// User events posted from other threads (typed interjections, the speech timer), delivered
  /// at the next step boundary.
  private var inbox: [ReasoningEvent] = []
  /// Guards `inbox` and `stopRequested`, the runner's only state touched from other threads.
  private let lock = NSLock()
  private var stopRequested = false
  /// Extra time to keep listening after the answer ends (for late interjections).
  public var tail = 0.5
  /// Live runs: after the scenario, keep listening for typed questions until cancelled.
  public var keepListening = false

  public init(session: ReasoningSession) {
    self.session = session
    session.emit = { [unowned self] e in
      self.events.append(e)
      self.onEvent(e)
    }
  }

  /// Thread-safe: ends the run at its next step boundary (the demo's `n`).
  public func cancel() {
    lock.lock()
    stopRequested = true
    lock.unlock()
  }

  /// Thread-safe: whether `cancel` was called.
  public var cancelled: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stopRequested
  }

  /// Thread-safe: queue an interjection typed by the user.
  public func interject(_ text: String) { post(.interjection(text)) }

  /// Thread-safe: queue a user event (heard word, end of utterance, interjection).
  public func post(_ e: ReasoningEvent) {
    lock.lock()
    inbox.append(e)
    lock.unlock()
  }

  private func drainInbox() -> [ReasoningEvent] {
    lock.lock()
    defer { lock.unlock() }
    let x = inbox
    inbox.removeAll()
    return x
  }

  /// Runs until the answer is complete and the scenario has no more user events (or past
  /// `maxSeconds` of session time, which a note then says; no limit by default: every turn ends
  /// by its budgets and capacities).
  ///
  /// Words after an end of utterance are the next turn: they wait until the answer has been
  /// spoken, then come after the same pause the scenario gives them (later events shift along).
  public func run(_ user: [TimedEvent], maxSeconds: Double = .infinity) {
    let clock = session.clock
    var i = 0
    var offset = 0.0  // how far the user's later events were pushed back by answers
    var lastUtteranceEnd: Double? = nil  // scheduled time of the last delivered end of utterance
    var finishedAt: Double? = nil
    func waitsForAnswer(_ i: Int) -> Bool {
      guard case .heard = user[i].event, lastUtteranceEnd != nil else { return false }
      return !session.turnIsOver(at: clock.now)
    }
    while !cancelled {
      while i < user.count && user[i].t + offset <= clock.now + 1e-9 && !waitsForAnswer(i) {
        if case .heard = user[i].event, lastUtteranceEnd != nil { lastUtteranceEnd = nil }
        if case .endOfUtterance = user[i].event { lastUtteranceEnd = user[i].t }
        deliver(user[i].event)
        finishedAt = nil
        i += 1
      }
      for e in drainInbox() {
        deliver(e)
        finishedAt = nil
      }
      if clock.now > maxSeconds {
        session.notice(String(format: "stopped at the run's time limit of %.0f s", maxSeconds))
        break
      }
      if session.tick() { continue }
      if i < user.count {
        if waitsForAnswer(i), session.mode == .done, let eou = lastUtteranceEnd {
          let pause = max(0.5, user[i].t - eou)
          offset = max(offset, max(session.speech.endOfSpeech, clock.now) + pause - user[i].t)
        }
        // More is coming: set up the next turn once the answer is spoken, while the user is
        // silent (its cost is charged to the clock like any other work).
        if session.prepareNextTurn() { continue }
        var until = waitsForAnswer(i) && session.mode != .done ? clock.now + 0.05 : user[i].t + offset
        if session.mode == .done && session.speech.endOfSpeech > clock.now { until = min(until, session.speech.endOfSpeech) }
        clock.wait(until: until)
      } else if session.mode == .done || session.mode == .listening {
        // keep listening a little after the last word is spoken (interjections may come)
        if finishedAt == nil { finishedAt = clock.now }
        let end = max(session.speech.endOfSpeech, finishedAt ?? 0) + tail
        if clock.isVirtual || clock.now >= end { break }
        clock.wait(until: min(end, clock.now + 0.05))
      } else {
        break
      }
    }
  }

  /// Runs in real time with the user's events released by a `SpeechFeeder` (a DispatchSourceTimer
  /// on its own queue) instead of by this loop; the engine works between arrivals.
  public func runLive(_ user: [TimedEvent], maxSeconds: Double = .infinity) {
    let clock = session.clock
    let feeder = SpeechFeeder(events: user, now: { clock.now }) { [weak self] e in self?.post(e) }
    feeder.start()
    defer { feeder.cancel() }
    var finishedAt: Double? = nil
    while !cancelled {
      let arrived = drainInbox()
      for e in arrived { deliver(e) }
      if !arrived.isEmpty { finishedAt = nil }
      feeder.setAnswerOver(session.turnIsOver(at: clock.now))
      if clock.now > maxSeconds {
        session.notice(String(format: "stopped at the run's time limit of %.0f s", maxSeconds))
        break
      }
      if session.tick() { continue }
      if (feeder.remaining > 0 || keepListening) && !hasInbox && session.prepareNextTurn() { continue }
      if feeder.remaining > 0 {
        clock.wait(until: clock.now + 0.01)
      } else if session.mode == .done || session.mode == .listening {
        if finishedAt == nil { finishedAt = clock.now }
        let end = max(session.speech.endOfSpeech, finishedAt ?? 0) + tail
        if clock.now >= end && !hasInbox && !keepListening { break }
        clock.wait(until: clock.now >= end ? clock.now + 0.05 : min(end, clock.now + 0.05))
      } else {
        break
      }
    }
  }

  private var hasInbox: Bool {
    lock.lock()
    defer { lock.unlock() }
    return !inbox.isEmpty
  }

  private func deliver(_ e: ReasoningEvent) {
    switch e {
    case .heard(let w): session.hear(w)
    case .endOfUtterance: session.endOfUtterance()
    case .interjection(let s): session.interject(s)
    default: break
    }
  }

  /// The spoken (heard) answer: the writer's text that survived truncation.
  public func result(id: String, mode: PolicyOptions.Strategy, expected: AnswerCheck?) -> RunResult {
    // A prepared next turn that nobody asked reports the last answered one.
    let last = session.nextTurnPrepared ? session.lastTurn : nil
    let answer = last?.answer ?? session.answerText.trimmingCharacters(in: .whitespacesAndNewlines)
    let simulated = max(session.speech.endOfSpeech, session.clock.now)
    return RunResult(
      id: id, mode: mode, events: events, answer: answer, correct: expected?.check(answer), metrics: last?.metrics ?? session.metrics,
      thinkerTokens: session.thinkerTokens, steps: session.steps, probes: session.probes,
      computeSeconds: session.computeSeconds, simulatedSeconds: simulated, blockedTokens: session.blockedTokens)
  }
}

extension Recorder {
  /// The summary line that ends a recording.
  public func writeMetrics(_ r: RunResult) {
    var m = r.json
    m["type"] = "metrics"
    m["t"] = (r.simulatedSeconds * 1000).rounded() / 1000
    write(m)
  }
}
