/// One terminal cell: a grapheme (or "" for the right half of a wide character) and its style.
public struct Cell: Equatable, Sendable {
  public var text: String
  public var style: Style
  public init(_ text: String = " ", _ style: Style = .normal) {
    self.text = text
    self.style = style
  }
}

/// A rectangle of cells: what `render` produces and a backend presents.
public struct Grid: Equatable, Sendable {
  public let width: Int
  public let height: Int
  public var cells: [Cell]

  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: Cell(), count: self.width * self.height)
  }

  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * width + x] }
    set { if x >= 0 && y >= 0 && x < width && y < height { cells[y * width + x] = newValue } }
  }

  /// Writes text from (x, y), clipped at `maxX`; wide characters take two cells. Returns the end x.
  @discardableResult
  public mutating func put(_ s: String, x: Int, y: Int, style: Style, maxX: Int? = nil) -> Int {
    let limit = min(maxX ?? width, width)
    var cx = x
    guard y >= 0 && y < height else { return cx }
    for ch in s {
      let w = TextWidth.of(ch)
      if w == 0 { continue }
      if cx + w > limit { break }
      self[cx, y] = Cell(String(ch), style)
      if w == 2 { self[cx + 1, y] = Cell("", style) }
      cx += w
    }
    return cx
  }

  /// The grid as plain text lines (the headless backend and snapshot tests).
  public var text: String {
    (0..<height).map { y in
      var line = ""
      for x in 0..<width { line += cells[y * width + x].text }
      while line.hasSuffix(" ") { line.removeLast() }
      return line
    }.joined(separator: "\n")
  }
}

extension Grid {
  /// The grid as ANSI lines: its text with an SGR code where the style changes, each line back
  /// to the default style at its end (a cast shows what is said, unsaid and cut).
  public var ansiLines: [String] {
    (0..<height).map { y in
      var line = ""
      var style = Style.normal
      var pending = ""  // default-style spaces, written only if something follows them
      for x in 0..<width {
        let c = cells[y * width + x]
        if c.text == " " && c.style.sgr == "0" && style.sgr == "0" {
          pending += " "
          continue
        }
        line += pending
        pending = ""
        if c.style.sgr != style.sgr { line += "\u{1b}[\(c.style.sgr)m" }
        style = c.style
        line += c.text
      }
      return style.sgr == "0" ? line : line + "\u{1b}[0m"
    }
  }
}
