import Foundation

/// Time for a session: real (wall clock) or virtual (advanced by a modelled cost per step, so a
/// run is as fast as the CPU allows, yet reports times as if live, and repeats exactly).
public protocol SessionClock: AnyObject {
  var now: Double { get }
  /// A compute action of `rows` decode rows or `prefill` tokens has been performed.
  func charge(rows: Int, prefill: Int)
  /// Nothing to do until t (or until `wake`: a waiting loop may return early and look again).
  func wait(until t: Double)
  /// Thread-safe: something arrived (a typed line, a cancel); a `wait` in progress returns.
  func wake()
  var isVirtual: Bool { get }
}

extension SessionClock {
  public func wake() {}
}

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

/// Wall time since the session started. A wait sleeps until its time, or until `wake`.
public final class RealClock: SessionClock, @unchecked Sendable {
  private let start = DispatchTime.now().uptimeNanoseconds
  private let condition = NSCondition()
  private var woken = false
  public init() {}
  public var now: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
  public func charge(rows: Int, prefill: Int) {}
  public func wait(until t: Double) {
    let d = t - now
    condition.lock()
    defer { condition.unlock() }
    if d > 0 && !woken { _ = condition.wait(until: Date(timeIntervalSinceNow: min(d, 1))) }
    woken = false
  }
  public func wake() {
    condition.lock()
    woken = true
    condition.signal()
    condition.unlock()
  }
  public var isVirtual: Bool { false }
}
