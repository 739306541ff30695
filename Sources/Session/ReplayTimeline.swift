import Reasoning

/// Replay position over a recording: wall time × speed, idle gaps longer than `maxGap` shortened
/// to it. Pure, so tests drive it in virtual time.
public struct ReplayTimeline: Sendable {
  public let times: [Double]  // compressed event times
  public var position = 0.0
  public var speed = 1.0
  public var paused = false

  public init(events: [TimedEvent], maxGap: Double) {
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

  public mutating func advance(wall dt: Double) { if !paused { position += dt * speed } }
  /// Number of events released at the current position.
  public var released: Int { times.firstIndex(where: { $0 > position + 1e-9 }) ?? times.count }
  public var finished: Bool { released == times.count }
  public mutating func step() { if released < times.count { position = times[released] } }
  /// Jumps to the next event (after the released ones) for which `isMark` holds.
  public mutating func jump(forward: Bool, isMark: (Int) -> Bool) {
    if forward {
      if let i = (released..<times.count).first(where: isMark) { position = times[i] }
    } else {
      let upper = max(0, released - 1)
      if let i = (0..<upper).reversed().first(where: isMark) { position = times[i] } else { position = 0 }
    }
  }
  public var end: Double { times.last ?? 0 }
}
