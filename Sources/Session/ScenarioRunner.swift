import Foundation
import Reasoning
import Transformer

/// Plays a scenario's user side into a reasoning session on a clock and collects every event.
/// One loop for virtual and live time (`run`, `eval`, the demo on its engine queue, tests): the
/// clock decides what waiting means (a jump, a sleep that a typed line cuts short, or a test's
/// manual advance).
///
/// Threads: `run` on one (engine) thread; `post`, `interject` and `cancel` from any.
public final class ScenarioRunner: @unchecked Sendable {
  public let session: ReasoningSession
  public private(set) var events: [TimedEvent] = []
  public var onEvent: (TimedEvent) -> Void = { _ in }
  /// User events posted from other threads (typed interjections, a live feed's words), each at
  /// the clock's time when posted, delivered at the next step boundary.
  private var inbox: [TimedEvent] = []
  private var cancelled = false
  private let lock = NSLock()
  /// Extra time to keep listening after the answer ends (for late interjections; live clocks).
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

  /// Thread-safe: queue an interjection typed by the user.
  public func interject(_ text: String) { post(.interjection(text)) }

  /// Thread-safe: queue a user event (heard word, end of utterance, interjection); a waiting
  /// loop wakes for it.
  public func post(_ e: ReasoningEvent) {
    let t = session.clock.now
    lock.lock()
    inbox.append(TimedEvent(t: t, event: e))
    lock.unlock()
    session.clock.wake()
  }

  /// Thread-safe: the loop stops at its next step boundary.
  public func cancel() {
    lock.lock()
    cancelled = true
    lock.unlock()
    session.clock.wake()
  }

  public var isCancelled: Bool {
    lock.lock()
    defer { lock.unlock() }
    return cancelled
  }

  /// Thread-safe: takes the user events not delivered yet (a driver hands them to the next run).
  public func drainInbox() -> [TimedEvent] {
    lock.lock()
    defer { lock.unlock() }
    let x = inbox
    inbox.removeAll()
    return x
  }

  private var hasInbox: Bool {
    lock.lock()
    defer { lock.unlock() }
    return !inbox.isEmpty
  }

  /// Runs until the answer is complete and the scenario has no more user events (or past
  /// `maxSeconds` of session time, which a note then says; no limit by default: every turn ends
  /// by its budgets and capacities). The user's events come at their times (`UserSchedule`: the
  /// next turn waits for the answer, then keeps its pause); typed ones at the next step.
  public func run(_ user: [TimedEvent], maxSeconds: Double = .infinity) {
    let clock = session.clock
    var schedule = UserSchedule(user, startingAt: clock.now)
    var finishedAt: Double? = nil
    while !isCancelled {
      let arrived = schedule.release(upTo: clock.now) + drainInbox()
      for e in arrived { deliver(e) }
      if !arrived.isEmpty { finishedAt = nil }
      if clock.now > maxSeconds {
        session.notice(String(format: "stopped at the run's time limit of %.0f s", maxSeconds))
        break
      }
      if session.tick() { continue }
      // The answer is complete: the held next turn starts its pause when it has been spoken.
      if schedule.holdsNextTurn && session.mode == .done {
        schedule.answerOver(at: max(session.speech.endOfSpeech, clock.now))
      }
      // More is coming: set up the next turn once the answer is spoken, while the user is
      // silent (its cost is charged to the clock like any other work).
      if (schedule.remaining > 0 || keepListening) && !hasInbox && session.prepareNextTurn() { continue }
      if schedule.remaining > 0 {
        var until = schedule.nextTime ?? clock.now + 0.05  // held: the answer is still being made
        if session.mode == .done && session.speech.endOfSpeech > clock.now { until = min(until, session.speech.endOfSpeech) }
        clock.wait(until: until)
      } else if session.mode == .done || session.mode == .listening {
        // Keep listening a little after the last word is spoken (interjections may come); a
        // virtual clock has no one to type.
        if finishedAt == nil { finishedAt = clock.now }
        let end = max(session.speech.endOfSpeech, finishedAt ?? 0) + tail
        if (clock.isVirtual || clock.now >= end) && !hasInbox && !keepListening { break }
        clock.wait(until: clock.now >= end ? clock.now + 1 : end)
      } else {
        break
      }
    }
  }

  /// Hands a user event to the session; the end of the utterance and an interjection keep the
  /// time the user said them, from which the listener waits (the engine may hear them later, at
  /// the end of a long prefill).
  private func deliver(_ e: TimedEvent) {
    switch e.event {
    case .heard(let w): session.hear(w)
    case .endOfUtterance: session.endOfUtterance(saidAt: e.t)
    case .interjection(let s): session.interject(s, saidAt: e.t)
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
      id: id, mode: mode, events: events, answer: answer, correct: expected?.check(answer),
      metrics: last?.metrics ?? session.metrics,
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
