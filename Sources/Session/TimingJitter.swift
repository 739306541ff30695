import Foundation
import Reasoning
import Transformer

/// Seeded jitter of the user's word timing, for `eval --repeat`: every gap between consecutive
/// user events (and the first event's time) is stretched or shrunk by a factor in 1 ± `amount`,
/// so the order of events never changes and the same seed gives the same times on every machine.
public enum TimingJitter {
  public static func apply(_ events: [TimedEvent], seed: UInt64, amount: Double = 0.15) -> [TimedEvent] {
    var rng = SeededRandom(seed: seed)
    var out: [TimedEvent] = []
    var before = 0.0, now = 0.0
    for e in events {
      let gap = e.t - before
      before = e.t
      // 53 random bits → u in [0, 1): not Double.random(using:), whose method may change
      let u = Double(rng.next() >> 11) / Double(1 << 53)
      now += gap * (1 + amount * (2 * u - 1))
      out.append(TimedEvent(t: now, event: e.event))
    }
    return out
  }

  /// The seed of one repeat of one scenario (FNV-1a of the id, mixed with the repeat index), so
  /// scenarios of a repeat do not share one timing pattern and a shard gets the same seed as a
  /// full run.
  public static func seed(scenario id: String, repeat r: Int) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in id.utf8 {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    return h ^ (UInt64(r) &* 0x9E37_79B9_7F4A_7C15)
  }
}
