import Foundation

/// Books the session's compute: wall seconds spent (the real-time factor), the modelled cost on
/// the session clock (what virtual time advances by), and an optional trace line per prefill.
/// Shared by the session's parts; not thread-safe (the engine queue).
final class ComputeMeter {
  let clock: SessionClock
  private(set) var computeSeconds = 0.0
  /// When set, gets one line per prefill the loop does besides decoding (what delays the first
  /// word), with its session time and cost (the executable sets it for `AV_TRACE=1`).
  var tracer: ((String) -> Void)?

  init(clock: SessionClock) { self.clock = clock }

  /// Books compute that started at `t0`: wall seconds, and the modelled cost on the clock.
  func book(rows: Int = 0, prefill: Int = 0, since t0: Date) {
    computeSeconds += Date().timeIntervalSince(t0)
    clock.charge(rows: rows, prefill: prefill)
  }

  /// A trace line for work that started at `t0` (nothing when no tracer is set).
  func trace(_ what: String, since t0: Date) {
    guard let tracer else { return }
    tracer(String(format: "TRACE %.2f %@ %.0f ms", clock.now, what, Date().timeIntervalSince(t0) * 1000))
  }
}
