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
  public var ascii = false
  public var title = "AsyncVoice"

  public init() {}
}
