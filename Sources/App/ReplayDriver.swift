import Foundation
import Reasoning
import Session

/// Replays a recording on the screen.
public final class ReplayDriver: EventSourceDriver {
  let events: [TimedEvent]
  public var timeline: ReplayTimeline
  var sent = 0
  let name: String
  /// Set by a seek: the next poll rebuilds the screen from the first event.
  private var rebuild = false

  public init(events: [TimedEvent], speed: Double, maxGap: Double, name: String) {
    self.events = events
    timeline = ReplayTimeline(events: events, maxGap: maxGap)
    timeline.speed = speed
    self.name = name
  }

  /// Typed interjections are shown (the recording is not changed; there is no model to hear them).
  private var typed: [String] = []

  public func poll(wall dt: Double) -> (events: [TimedEvent], now: Double, reset: Bool) {
    timeline.advance(wall: dt)
    defer { typed.removeAll() }
    let n = timeline.released
    var reset = false
    var out: [TimedEvent] = []
    if n < sent || rebuild {
      // A seek (or a rewind): the screen state is rebuilt as a fold over the events up to now.
      rebuild = false
      reset = true
      out = timeline.fold(events, upTo: timeline.position, into: [TimedEvent]()) { $0.append($1) }
      sent = out.count
    } else if n > sent {
      // Present times on the compressed timeline so the panes' clocks agree with the replay.
      out = (sent..<n).map { timeline.retimed(events[$0], index: $0) }
      sent = n
    }
    out += typed.map { TimedEvent(t: timeline.position, event: .interjection($0)) }
    return (out, min(timeline.position, timeline.end + 30), reset)
  }
  public func interject(_ text: String) { typed.append(text) }
  public func togglePause() { timeline.paused.toggle() }
  public func changeSpeed(_ f: Double) { timeline.speed = min(64, max(0.125, timeline.speed * f)) }
  public func next() { timeline.position = timeline.end }
  public func step() { timeline.paused = true; timeline.step() }
  public func jump(forward: Bool) {
    timeline.jump(forward: forward) { i in
      switch self.events[i].event {
      case .interjection, .mode: return true
      default: return false
      }
    }
  }
  public func seek(_ s: ReplaySeek) -> Bool {
    timeline.seek(s)
    rebuild = true
    return true
  }
  public var statusFields: [String] {
    [timeline.positionLabel, String(format: "%.3gx", timeline.speed), timeline.paused ? "⏸ paused" : "▶ replay", name]
  }
  public var title: String { name }
  public var finished: Bool { timeline.finished }
}
