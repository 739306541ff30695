/// Where things go on a screen of a given size (pure arithmetic).
public struct Layout: Equatable, Sendable {
  public struct Rect: Equatable, Sendable {
    public var x, y, width, height: Int
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public func intersects(_ o: Rect) -> Bool { x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY }
  }

  public static let minWidth = 60
  public static let minHeight = 12

  public let panes: [Rect]  // listening, thinking, speaking (including borders)
  public let status: Rect
  public let input: Rect
  public let tooSmall: Bool

  public init(width: Int, height: Int) {
    tooSmall = width < Self.minWidth || height < Self.minHeight
    let h = max(0, height - 2)
    // Listening gets 28 %, thinking and speaking share the rest.
    let w0 = max(1, width * 28 / 100)
    let w1 = max(1, (width - w0) / 2)
    let w2 = max(0, width - w0 - w1)
    panes = [
      Rect(x: 0, y: 0, width: w0, height: h), Rect(x: w0, y: 0, width: w1, height: h),
      Rect(x: w0 + w1, y: 0, width: w2, height: h),
    ]
    status = Rect(x: 0, y: h, width: width, height: min(1, max(0, height - h)))
    input = Rect(x: 0, y: min(height - 1, h + 1), width: width, height: height >= 2 ? 1 : 0)
  }

  /// The pane whose rectangle (borders included) holds the cell (x, y), if any: none on the
  /// status and input lines, or when the screen is too small to show panes.
  public func pane(atX x: Int, y: Int) -> ViewModel.Pane? {
    guard !tooSmall else { return nil }
    return panes.firstIndex { x >= $0.x && x < $0.maxX && y >= $0.y && y < $0.maxY }.flatMap(ViewModel.Pane.init(rawValue:))
  }
}
