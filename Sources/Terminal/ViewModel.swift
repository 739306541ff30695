/// Everything the screen shows, as plain values (built by the executable from engine events or a
/// recording). `render` turns it into a grid.
public struct ViewModel: Equatable, Sendable {
  public enum Pane: Int, CaseIterable, Sendable { case listening, thinking, speaking }

  public var listening: [Span] = []
  public var thinking: [Span] = []
  public var speaking: [Span] = []
  /// e.g. "◐ think+speak"
  public var modeLabel = "○ listening"
  public var modeStyle: Style = .status
  public var status: [String] = []
  public var warning: String? = nil
  public var input = ""
  public var inputHint = "type to interject, Enter sends"
  public var focus: Pane = .speaking
  /// Lines scrolled up from the bottom per pane (0 = following).
  public var scroll: [Int] = [0, 0, 0]
  public var showHelp = false
  /// The cache map (key `k`) replaces the panes; `cacheMap` nil: no layout seen yet.
  public var showCacheMap = false
  public var cacheMap: CacheMapModel? = nil
  public var ascii = false
  public var title = "AsyncVoice"

  public init() {}

  /// Lines one notch of the mouse wheel scrolls.
  public static let wheelLines = 3

  /// Scrolls `pane` by `lines` (positive: up, away from the newest; at 0 it follows again).
  public mutating func scroll(_ pane: Pane, by lines: Int) {
    scroll[pane.rawValue] = max(0, scroll[pane.rawValue] + lines)
  }

  /// One notch of the mouse wheel at cell (x, y) of a `width`×`height` screen scrolls the pane
  /// under the pointer (not necessarily the focused one); false when no pane is there.
  @discardableResult
  public mutating func wheel(up: Bool, x: Int, y: Int, width: Int, height: Int) -> Bool {
    guard let p = Layout(width: width, height: height).pane(atX: x, y: y) else { return false }
    scroll(p, by: up ? Self.wheelLines : -Self.wheelLines)
    return true
  }
}
