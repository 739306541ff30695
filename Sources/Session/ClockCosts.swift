import Foundation
import Reasoning

/// What the virtual clock charges for compute: seconds per 1-row decode step, the extra
/// fraction per additional row, and seconds per prefilled token. Built from timings of the
/// running model (`fromTimings`, the medians of a short calibration at load) or given on the
/// command line (`parse`), so a virtual-time eval reports the delays of the model it runs.
public struct ClockCosts: Equatable, Sendable {
  public var stepSeconds: Double
  public var extraRowFactor: Double
  public var prefillSeconds: Double

  /// The built-in constants (the 0.5B demo model on the 2-core machine; `VirtualClock()`).
  public static var builtIn: ClockCosts {
    let c = VirtualClock()
    return ClockCosts(stepSeconds: c.stepSeconds, extraRowFactor: c.extraRowFactor, prefillSeconds: c.prefillSeconds)
  }

  public init(stepSeconds: Double, extraRowFactor: Double, prefillSeconds: Double) {
    self.stepSeconds = stepSeconds
    self.extraRowFactor = extraRowFactor
    self.prefillSeconds = prefillSeconds
  }

  /// From repeated timings (seconds) of a 1-row step, a 2-row step and a prefill of
  /// `prefillTokens` tokens: the median of each, so one slow sample (a neighbour's job) does not
  /// move the clock.
  public static func fromTimings(oneRow: [Double], twoRows: [Double], prefill: [Double], prefillTokens: Int) -> ClockCosts {
    let one = median(oneRow), two = median(twoRows)
    return ClockCosts(
      stepSeconds: one, extraRowFactor: max(0, two / one - 1), prefillSeconds: median(prefill) / Double(max(1, prefillTokens)))
  }

  /// "STEP,ROWFACTOR,PREFILL" in seconds, or "default" for the built-in constants. Each is a
  /// finite number up to `maxCost` (a step of a minute is already far past any CPU this runs on).
  public static func parse(_ s: String) throws -> ClockCosts {
    if s == "default" { return builtIn }
    let parts = s.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2], a > 0, b >= 0, c >= 0,
      [a, b, c].allSatisfy({ $0 <= maxCost })
    else {
      throw TranscriptError.reason(
        "clock costs are STEP_S,EXTRA_ROW_FACTOR,PREFILL_S_PER_TOKEN (e.g. 0.028,0.3,0.010; the step above 0, each at most "
          + "\(Int(maxCost))) or 'default', got '\(s)'")
    }
    return ClockCosts(stepSeconds: a, extraRowFactor: b, prefillSeconds: c)
  }

  /// The largest cost `parse` takes (seconds, or the row factor).
  public static let maxCost = 60.0

  static func median(_ xs: [Double]) -> Double {
    precondition(!xs.isEmpty, "median of no timings")
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
  }

  public func makeClock() -> VirtualClock {
    VirtualClock(stepSeconds: stepSeconds, extraRowFactor: extraRowFactor, prefillSeconds: prefillSeconds)
  }

  /// The recording header's `clock` for a virtual run: the costs it charged, in full precision, so
  /// that `run --virtual-time --clock-costs` can charge them again.
  public var headerValue: [String: Any] {
    [
      "kind": "virtual", "step_seconds": stepSeconds, "extra_row_factor": extraRowFactor,
      "prefill_seconds_per_token": prefillSeconds,
    ]
  }

  /// One line for the log, with the option that reuses the numbers.
  public var description: String {
    String(
      format: "step %.1f ms, +%.0f%% per extra row, prefill %.2f ms/token (--clock-costs %.4f,%.3f,%.5f)", stepSeconds * 1000,
      extraRowFactor * 100, prefillSeconds * 1000, stepSeconds, extraRowFactor, prefillSeconds)
  }
}
