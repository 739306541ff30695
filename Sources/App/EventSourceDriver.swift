import Reasoning
import Session

/// Where the screen's events come from.
public protocol EventSourceDriver: AnyObject {
  /// New events up to now, and the current session time.
  func poll(wall dt: Double) -> (events: [TimedEvent], now: Double, reset: Bool)
  func interject(_ text: String)
  func togglePause()
  func changeSpeed(_ factor: Double)
  func next()
  func step()
  func jump(forward: Bool)
  var statusFields: [String] { get }
  var title: String { get }
  var finished: Bool { get }
  /// Moves a replay to another instant; false when the source cannot seek (a live session).
  func seek(_ s: ReplaySeek) -> Bool
}

extension EventSourceDriver {
  public func seek(_ s: ReplaySeek) -> Bool { false }
}
