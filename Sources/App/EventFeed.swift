import Foundation
import Reasoning
import Session

/// A thread-safe list of events: the engine queue appends, the UI thread reads new ones.
public final class EventFeed: @unchecked Sendable {
  private var events: [TimedEvent] = []
  private let lock = NSLock()
  public private(set) var generation = 0

  public init() {}

  public func append(_ e: TimedEvent) {
    lock.lock()
    events.append(e)
    lock.unlock()
  }
  public func reset() {
    lock.lock()
    events.removeAll()
    generation += 1
    lock.unlock()
  }
  /// Events from index `from` on.
  public func since(_ from: Int) -> [TimedEvent] {
    lock.lock()
    defer { lock.unlock() }
    return from < events.count ? Array(events[from...]) : []
  }
}
