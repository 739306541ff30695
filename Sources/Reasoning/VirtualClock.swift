/// Virtual time: advanced by the modelled cost of each compute action (`charge`), jumping over
/// waits, so a run goes as fast as the CPU allows and repeats exactly.
public final class VirtualClock: SessionClock {
  public private(set) var now: Double = 0
  /// Seconds per decode step of one row, extra per additional row, and per prefilled token.
  public var stepSeconds: Double
  public var extraRowFactor: Double
  public var prefillSeconds: Double
  /// Defaults: the demo model on this 2-core machine (`asyncvoice bench --model
  /// Assets/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf`, 2026-11-28: 1-row step 27–28 ms, 2-row
  /// 1.3×; prefill of the 6–30-token blocks the loop encodes 85–113 tok/s, so 10 ms a token).
  public init(stepSeconds: Double = 0.028, extraRowFactor: Double = 0.3, prefillSeconds: Double = 0.010) {
    self.stepSeconds = stepSeconds
    self.extraRowFactor = extraRowFactor
    self.prefillSeconds = prefillSeconds
  }
  public func charge(rows: Int, prefill: Int) {
    if rows > 0 { now += stepSeconds * (1 + extraRowFactor * Double(rows - 1)) }
    now += prefillSeconds * Double(prefill)
  }
  public func wait(until t: Double) { now = max(now, t) }
  public var isVirtual: Bool { true }
}
