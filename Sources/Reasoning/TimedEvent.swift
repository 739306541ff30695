/// An event with its time in seconds since the session started.
public struct TimedEvent: Equatable, Sendable {
  public var t: Double
  public var event: ReasoningEvent
  public init(t: Double, event: ReasoningEvent) {
    self.t = t
    self.event = event
  }
}
