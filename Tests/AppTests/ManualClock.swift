import Foundation
import Reasoning

/// A clock a test moves by hand (as pointfree's `TestClock`): time stands still while the engine
/// computes, a `wait` blocks until the test advances past it (or something wakes it), and the
/// test can block until the loop waits, so every step of a live run happens at a known instant.
final class ManualClock: SessionClock, @unchecked Sendable {
  private let condition = NSCondition()
  private var time = 0.0
  private var waitingUntil: Double?
  private var woken = false

  var now: Double {
    condition.lock()
    defer { condition.unlock() }
    return time
  }
  func charge(rows: Int, prefill: Int) {}
  var isVirtual: Bool { false }

  func wait(until t: Double) {
    condition.lock()
    defer { condition.unlock() }
    if !woken && time < t {
      waitingUntil = t
      condition.broadcast()
      while !woken && time < t { condition.wait() }
      waitingUntil = nil
    }
    woken = false
  }

  func wake() {
    condition.lock()
    woken = true
    waitingUntil = nil  // the waiting loop looks again: the next `untilIdle` is a new wait
    condition.broadcast()
    condition.unlock()
  }

  /// Test side: blocks until the loop waits, and returns the time it waits for (nil once the
  /// loop has stopped).
  func untilIdle() -> Double? {
    condition.lock()
    defer { condition.unlock() }
    while waitingUntil == nil && !stopped { condition.wait() }
    return waitingUntil
  }

  /// The loop's side: it has returned and will not wait again.
  func stop() {
    condition.lock()
    stopped = true
    condition.broadcast()
    condition.unlock()
  }
  private var stopped = false

  /// Test side: moves time on (a wait it satisfies is over: the next `untilIdle` is a new one).
  func advance(to t: Double) {
    condition.lock()
    time = max(time, t)
    if let w = waitingUntil, w <= time { waitingUntil = nil }
    condition.broadcast()
    condition.unlock()
  }
}
