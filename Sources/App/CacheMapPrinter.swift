import Reasoning
import Terminal

/// The cache map as text for plain output (`run --cache-map`, `replay --headless --cache-map`):
/// printed when the blocks being written change (a mode switch; the probe's own asking is left
/// out), when a view's blocks change, after a truncation, hold or turn, and once at the end —
/// not at every token's growth, which would print hundreds of near-identical maps (DECISIONS.md
/// 2026-11-30). Moves are measured from the map printed before.
public final class CacheMapPrinter {
  let width: Int
  let ascii: Bool
  private let state = ViewState()
  private var printed: CacheMap?
  private var cutSincePrinted = false

  public init(width: Int = 104, ascii: Bool = false) {
    self.width = width
    self.ascii = ascii
  }

  /// Folds an event; returns the map's text when one is due.
  public func feed(_ e: TimedEvent) -> String? {
    state.apply(e)
    switch e.event {
    case .truncated, .held, .turn:
      cutSincePrinted = true
      return nil
    case .layout(let m):
      guard printed == nil || cutSincePrinted || Self.shape(m) != Self.shape(printed!) else { return nil }
      return text(now: e.t)
    default: return nil
    }
  }

  /// The last layout, if it was not printed yet (the end of the run).
  public func finish(now: Double) -> String? {
    guard let l = state.layout, l.map != printed else { return nil }
    return text(now: max(now, l.t))
  }

  /// What makes a new map worth printing: each view's blocks and the blocks being written.
  static func shape(_ m: CacheMap) -> [[String]] {
    m.views.map { $0.entries.map(\.block) } + [m.writing.filter { $0 != "probe" }]
  }

  private func text(now: Double) -> String {
    let model = state.cacheMapModel(now: now, before: .some(printed))
    printed = state.layout?.map
    cutSincePrinted = false
    let title = String(format: "── cache map at %.2f s ", model?.time ?? now)
    return title + String(repeating: "─", count: max(0, width - TextWidth.of(title))) + "\n"
      + CacheMapRenderer.text(model, width: width, ascii: ascii)
  }
}
