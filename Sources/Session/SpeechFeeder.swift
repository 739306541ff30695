import Dispatch
import Foundation
import Reasoning

/// Releases a scenario's user side in real time from a `DispatchSourceTimer` on its own queue
/// (the live demo, `asyncvoice run` without `--virtual-time`): each event is handed to `post` when
/// its time comes, while the engine keeps working on its own queue.
///
/// The next turn (words after an end of utterance) is held while the answer before it is still
/// being spoken — the runner reports that through `setAnswerOver` — and then keeps the pause the
/// scenario gives it; every later event moves along by the same amount.
public final class SpeechFeeder: @unchecked Sendable {
  private let events: [TimedEvent]
  private let post: (ReasoningEvent) -> Void
  private let now: () -> Double
  private let timer: DispatchSourceTimer
  private let lock = NSLock()
  private var next = 0
  private var offset = 0.0
  private var lastEndOfUtterance: Double?  // scripted time of the last end of utterance released
  private var answerOver = false
  private var started = false

  /// `now` is the session clock (seconds since the session started); `post` is called on the
  /// feeder's queue.
  public init(events: [TimedEvent], now: @escaping () -> Double, post: @escaping (ReasoningEvent) -> Void) {
    self.events = events
    self.now = now
    self.post = post
    timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "asyncvoice.speech"))
    timer.setEventHandler { [weak self] in self?.fire() }
  }

  deinit { cancel() }

  public func start() {
    lock.lock()
    defer { lock.unlock() }
    guard !started else { return }
    started = true
    timer.schedule(deadline: .now())
    timer.resume()
  }

  public func cancel() {
    lock.lock()
    defer { lock.unlock() }
    if started && !timer.isCancelled { timer.cancel() }
  }

  /// The runner's report: the answer to the last utterance is complete and has been spoken.
  public func setAnswerOver(_ over: Bool) {
    lock.lock()
    answerOver = over
    lock.unlock()
  }

  /// Events not yet released.
  public var remaining: Int {
    lock.lock()
    defer { lock.unlock() }
    return events.count - next
  }

  private func fire() {
    var due: [ReasoningEvent] = []
    var wakeIn: Double? = nil
    lock.lock()
    while next < events.count {
      let e = events[next]
      if case .heard = e.event, let eou = lastEndOfUtterance {
        guard answerOver else {  // the next turn waits for the answer
          wakeIn = 0.02
          break
        }
        offset = max(offset, now() + max(0.5, e.t - eou) - e.t)
        lastEndOfUtterance = nil
      }
      let at = e.t + offset
      if at > now() + 0.001 {
        wakeIn = at - now()
        break
      }
      if case .endOfUtterance = e.event {
        lastEndOfUtterance = e.t
        answerOver = false
      }
      due.append(e.event)
      next += 1
    }
    if let w = wakeIn, !timer.isCancelled { timer.schedule(deadline: .now() + max(0.001, w)) }
    lock.unlock()
    due.forEach(post)
  }
}
