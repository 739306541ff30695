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

/// A seek asked for by a key: ←/→ (relative seconds), `0`–`9` (a fraction of the length),
/// Home/End.
public enum ReplaySeek: Equatable, Sendable {
  case by(Double)
  case fraction(Double)
  case start
  case end
}

extension ReplayTimeline {
  /// Seconds one ←/→ press moves.
  public static let seekStep = 5.0

  /// The position a seek leads to, clamped to [0, end].
  public func target(of s: ReplaySeek) -> Double {
    let t: Double
    switch s {
    case .by(let dt): t = min(position, end) + dt
    case .fraction(let f): t = end * f
    case .start: t = 0
    case .end: t = end
    }
    return min(max(0, t), end)
  }

  /// Moves to the seek's target (forwards or backwards).
  public mutating func seek(_ s: ReplaySeek) { position = target(of: s) }

  /// Number of events released at position `t` (the ones a screen at `t` has seen).
  public func released(at t: Double) -> Int { times.firstIndex(where: { $0 > t + 1e-9 }) ?? times.count }

  /// The screen state at position `t`: a fold of `apply` over the events released by then, on
  /// the compressed timeline (events carry the times the replay shows). Seeking in either
  /// direction rebuilds the state with this, so any instant comes out exactly as when played.
  public func fold<State>(
    _ events: [TimedEvent], upTo t: Double, into initial: State, _ apply: (inout State, TimedEvent) -> Void
  ) -> State {
    var s = initial
    for i in 0..<min(released(at: t), events.count) { apply(&s, retimed(events[i], index: i)) }
    return s
  }

  /// Event `index` on the compressed timeline: its time, and a spoken chunk's start moved along
  /// with it (the chunk keeps its delay after the event and its duration).
  public func retimed(_ e: TimedEvent, index: Int) -> TimedEvent {
    let t = times[index]
    guard case .spoken(let text, let start, let duration) = e.event else { return TimedEvent(t: t, event: e.event) }
    return TimedEvent(t: t, event: .spoken(text, start: start + (t - e.t), duration: duration))
  }

  /// "12.3/45.6 s": the position (capped at the end) and the length.
  public var positionLabel: String { String(format: "%.1f/%.1f s", min(max(0, position), end), end) }
}
