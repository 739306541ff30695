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
