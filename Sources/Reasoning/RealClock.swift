import Foundation

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
