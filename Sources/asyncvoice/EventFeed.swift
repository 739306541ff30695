import Foundation
import Session
import Reasoning

/// A thread-safe list of events: the engine queue appends, the UI thread reads new ones.
final class EventFeed: @unchecked Sendable {
  private var events: [TimedEvent] = []
  private let lock = NSLock()
  private(set) var generation = 0

  func append(_ e: TimedEvent) {
    lock.lock()
    events.append(e)
    lock.unlock()
  }
  func reset() {
    lock.lock()
    events.removeAll()
    generation += 1
    lock.unlock()
  }
  /// Events from index `from` on.
  func since(_ from: Int) -> [TimedEvent] {
    lock.lock()
    defer { lock.unlock() }
    return from < events.count ? Array(events[from...]) : []
  }
}

