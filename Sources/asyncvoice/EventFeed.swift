import Foundation
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

/// Replay position over a recording: wall time × speed, idle gaps longer than `maxGap` shortened
/// to it. Pure, so tests drive it in virtual time.
struct ReplayTimeline {
  let times: [Double]  // compressed event times
  var position = 0.0
  var speed = 1.0
  var paused = false

  init(events: [TimedEvent], maxGap: Double) {
    var out: [Double] = []
    var prevRaw = 0.0
    var prev = 0.0
    for e in events {
      let gap = max(0, e.t - prevRaw)
      prev += min(gap, maxGap)
      prevRaw = e.t
      out.append(prev)
    }
    times = out
  }

  mutating func advance(wall dt: Double) { if !paused { position += dt * speed } }
  /// Number of events released at the current position.
  var released: Int { times.firstIndex(where: { $0 > position + 1e-9 }) ?? times.count }
  var finished: Bool { released == times.count }
  mutating func step() { if released < times.count { position = times[released] } }
  /// Jumps to the next event (after the released ones) for which `isMark` holds.
  mutating func jump(forward: Bool, isMark: (Int) -> Bool) {
    if forward {
      if let i = (released..<times.count).first(where: isMark) { position = times[i] }
    } else {
      let upper = max(0, released - 1)
      if let i = (0..<upper).reversed().first(where: isMark) { position = times[i] } else { position = 0 }
    }
  }
  var end: Double { times.last ?? 0 }
}
