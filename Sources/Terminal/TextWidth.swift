/// Display width of characters in a terminal: 2 for East Asian wide/fullwidth and emoji, 0 for
/// combining marks and controls, else 1.
public enum TextWidth {
  public static func of(_ ch: Character) -> Int {
    guard let s = ch.unicodeScalars.first else { return 0 }
    if s.value < 32 || s.value == 0x7f { return 0 }
    if ch.unicodeScalars.count > 1
      && ch.unicodeScalars.contains(where: { $0.properties.isEmojiPresentation || $0.value == 0xFE0F })
    {
      return 2
    }
    switch s.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    let v = s.value
    if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
      || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
      || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
      || (0x1FA70...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v) || (0x1F680...0x1F6FF).contains(v)
      || (s.properties.isEmojiPresentation && v > 0x2000)
    {
      return 2
    }
    return 1
  }

  public static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }
}

/// A run of text with one style (panes are lists of spans).
public struct Span: Equatable, Sendable {
  public var text: String
  public var style: Style
  public init(_ text: String, _ style: Style) {
    self.text = text
    self.style = style
  }
}

/// Word-wrapping of styled spans into lines of at most `width` cells. Newlines break lines; a
/// word longer than the width is split; a word that runs across spans wraps as one.
public enum Wrapper {
  public static func wrap(_ spans: [Span], width: Int) -> [[Span]] {
    guard width > 0 else { return [] }
    var lines: [[Span]] = [[]]
    var col = 0
    func trimTrailingSpace() {
      guard var last = lines[lines.count - 1].last, last.text.hasSuffix(" ") else { return }
      last.text.removeLast()
      if last.text.isEmpty {
        lines[lines.count - 1].removeLast()
      } else {
        lines[lines.count - 1][lines[lines.count - 1].count - 1] = last
      }
      col -= 1
    }
    func emit(_ ch: Character, _ style: Style) {
      let w = TextWidth.of(ch)
      if col + w > width {
        trimTrailingSpace()
        lines.append([])
        col = 0
        if ch == " " { return }
      }
      if var last = lines[lines.count - 1].last, last.style == style {
        last.text.append(ch)
        lines[lines.count - 1][lines[lines.count - 1].count - 1] = last
      } else {
        lines[lines.count - 1].append(Span(String(ch), style))
      }
      col += w
    }
    // A word may run across spans (a word half spoken is two spans): it wraps as one.
    var word: [(Character, Style)] = []
    func flushWord() {
      let w = word.reduce(0) { $0 + TextWidth.of($1.0) }
      if col > 0 && col + w > width && w <= width {
        trimTrailingSpace()
        lines.append([])
        col = 0
      }
      for (c, style) in word { emit(c, style) }
      word = []
    }
    for span in spans {
      for ch in span.text {
        if ch == "\n" || ch == "\r\n" {
          flushWord()
          lines.append([])
          col = 0
        } else if ch == " " {
          flushWord()
          if col > 0 { emit(" ", span.style) }
        } else {
          word.append((ch, span.style))
        }
      }
    }
    flushWord()
    return lines
  }
}
