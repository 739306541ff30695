/// The cache layout as events: after each event the session sends, the map is reported when
/// `LayoutReporter` says it is due (the cache-map view and recordings draw from these).
extension ReasoningSession {
  /// Report the cache layout as `layout` events (on by default).
  public var reportsLayout: Bool {
    get { layoutReporter.enabled }
    set { layoutReporter.enabled = newValue }
  }

  /// Session seconds between reports of stream growth alone (`LayoutReporter.minInterval`).
  public var layoutInterval: Double {
    get { layoutReporter.minInterval }
    set { layoutReporter.minInterval = newValue }
  }

  /// Called by `send` after every event: the map as it is now, if due. Truncations, holds, turns,
  /// interjections and the end report any change at once.
  func reportLayout(after e: ReasoningEvent) {
    guard layoutReporter.enabled else { return }
    let forced: Bool
    switch e {
    case .layout: return
    case .truncated, .held, .turn, .finished, .interjection: forced = true
    default: forced = false
    }
    let map = cacheMap
    if layoutReporter.report(map, at: clock.now, forced: forced) { emit(TimedEvent(t: clock.now, event: .layout(map))) }
  }
}
