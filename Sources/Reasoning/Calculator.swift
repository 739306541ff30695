import Foundation

/// Exact arithmetic for a stream that has just written `expression =` (or `… equals`, `… is equal
/// to`): the engine writes the
/// result for the model (as a calculator tool would), so a worked answer's steps are never
/// mis-added ("17 * 23 = 421"); the model still chooses which calculation to write.
///
/// Reads the text after the last `=`, `:` or line break before the final `=` (past a list item's
/// dash): numbers (digits, thousands commas, decimals), `+ - − × * x ÷ /` and `^`, parentheses,
/// the words `plus`, `minus`, `times`, `multiplied by`, `divided by`, LaTeX `\times`, `\cdot`,
/// `\div`, `\text{…}`. Words after a number are units and skipped ("3 spiders × 8 legs/spider"
/// is 3 × 8). Anything it cannot read for sure — a percent, a variable, a word between an
/// operator and its number, a `%` — gives no result, and the model writes its own.
public enum Calculator {
  /// The continuation to write after `text` (" 391" after "17 * 23 ="), or nil.
  public static func completion(after text: String) -> String? {
    guard let (value, places) = evaluate(text) else { return nil }
    return " " + format(value, decimals: max(2, places))
  }

  /// The value of the expression that `text` ends with (`… =`, trailing spaces allowed).
  public static func result(of text: String) -> Double? { evaluate(text)?.value }

  /// Whether a token's text can end a calculation (`=`, `equals`, `… equal to`): the cheap test
  /// before the stream's text is read.
  public static func mayEnd(token text: String) -> Bool {
    var t = Substring(text)
    while t.last == " " { t = t.dropLast() }
    if t.hasSuffix("=") { return true }
    let lower = t.lowercased()
    return spokenEqualsLastWords.contains { lower.hasSuffix($0) }
  }

  /// Words that end a calculation as `=` does.
  static let spokenEquals = ["is equal to", "equals"]
  /// Their last words: the per-token test.
  private static let spokenEqualsLastWords = spokenEquals.map { String($0.split(separator: " ").last!) }

  /// The value and the most decimal places any of its numbers was written with.
  static func evaluate(_ text: String) -> (value: Double, places: Int)? {
    var s = Substring(text)
    while s.last == " " { s = s.dropLast() }
    let lower = s.lowercased()
    if let word = spokenEquals.first(where: { lower.hasSuffix(" " + $0) }) {
      s = s.dropLast(word.count)  // "6 times 5 equals": the spoken "="
    } else {
      guard s.last == "=" else { return nil }
      s = s.dropLast()
    }
    if let c = s.last, "=<>!".contains(c) { return nil }
    let start = s.lastIndex { "=:\n;?".contains($0) }.map { s.index(after: $0) } ?? s.startIndex
    guard let lexed = lex(normalize(droppingBullet(s[start...]))), let kept = droppingUnits(lexed) else { return nil }
    // The longest suffix that reads as one calculation: "5 apples and 3 + 4" is 3 + 4.
    for from in kept.indices {
      let suffix = Array(kept[from...])
      guard suffix.contains(where: \.isOperator) else { break }
      var p = Parser(tokens: suffix)
      if let v = p.expression(), p.atEnd, v.isFinite, abs(v) < 1e15 {
        return (v, suffix.map(\.decimalPlaces).max() ?? 0)
      }
    }
    return nil
  }

  /// A list item's dash ("   - 18 guests ÷ 3 people per pizza") is no minus sign: a dash with a
  /// space after it, first in the calculation's text (a negative number is written "-18").
  static func droppingBullet(_ s: Substring) -> String {
    let t = s.drop { $0 == " " || $0 == "\t" }
    return t.hasPrefix("- ") || t.hasPrefix("• ") ? String(t.dropFirst(2)) : String(s)
  }

  enum Token: Equatable {
    case number(Double, places: Int)
    case op(Character)  // + - * / ^
    case open, close
    case word(String)

    var isOperator: Bool { if case .op = self { return true } else { return false } }
    var decimalPlaces: Int { if case .number(_, let p) = self { return p } else { return 0 } }
    var isLetterWord: Bool { if case .word(let w) = self { return w.first?.isLetter == true } else { return false } }
  }

  private static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

  /// A comma followed by exactly three digits: a thousands separator ("1,200"), not a list.
  private static func isThousands(_ c: [Character], after j: Int) -> Bool {
    guard j + 3 < c.count, (j + 1...j + 3).allSatisfy({ isDigit(c[$0]) }) else { return false }
    return j + 4 == c.count || !isDigit(c[j + 4])
  }

  /// LaTeX and typography to plain operators.
  static func normalize(_ s: String) -> String {
    var t = s
    for (a, b) in [
      ("\\times", " * "), ("\\cdot", " * "), ("\\div", " / "), ("\\left", " "), ("\\right", " "),
      ("\\,", " "), ("\\;", " "), ("\\ ", " "), ("\\[", " "), ("\\]", " "), ("\\(", " "), ("\\)", " "),
      ("×", " * "), ("·", " * "), ("÷", " / "), ("−", " - "), ("–", " - "), ("$", " "),
      ("multiplied by", " * "), ("divided by", " / "),
    ] {
      t = t.replacingOccurrences(of: a, with: b)
    }
    // \text{ legs } → legs
    t = t.replacingOccurrences(of: "\\text", with: " ").replacingOccurrences(of: "\\mathrm", with: " ")
    return t.replacingOccurrences(of: "{", with: " ").replacingOccurrences(of: "}", with: " ")
  }

  /// Numbers, operators, parentheses and words; nil when the text holds something it cannot read
  /// for sure (a percent, a number glued to letters, any other symbol inside the expression).
  static func lex(_ s: String) -> [Token]? {
    var out: [Token] = []
    let c = Array(s)
    var i = 0
    while i < c.count {
      let ch = c[i]
      if ch == " " || ch == "\t" { i += 1; continue }
      if isDigit(ch) {
        var j = i
        var digits = ""
        while j < c.count {
          if isDigit(c[j]) {
            digits.append(c[j]); j += 1
          } else if c[j] == ",", isThousands(c, after: j) {
            j += 1
          } else if c[j] == ".", j + 1 < c.count, isDigit(c[j + 1]), !digits.contains(".") {
            digits.append("."); j += 1
          } else {
            break
          }
        }
        if j < c.count, c[j].isLetter || c[j] == "%" { return nil }  // 2x, 20%, 3rd
        guard let v = Double(digits) else { return nil }
        out.append(.number(v, places: digits.split(separator: ".").dropFirst().first?.count ?? 0))
        i = j
        continue
      }
      if ch.isLetter {
        var j = i
        while j < c.count, c[j].isLetter || c[j] == "'" { j += 1 }
        let w = String(c[i..<j]).lowercased()
        switch w {
        case "plus": out.append(.op("+"))
        case "minus": out.append(.op("-"))
        case "times", "x": out.append(.op("*"))
        default: out.append(.word(w))
        }
        i = j
        continue
      }
      switch ch {
      case "+", "-", "*", "/", "^": out.append(.op(ch))
      case "(": out.append(.open)
      case ")": out.append(.close)
      default: out.append(.word(String(ch)))  // any other symbol: a barrier
      }
      i += 1
    }
    return out
  }

  /// The tokens with unit words dropped: words after a number, a `)` or another unit, and `/word`
  /// rates ("12 dollars/hour × 5 hours" is 12 × 5); nil when an operator is followed by a word
  /// ("5 + apples" is not arithmetic).
  static func droppingUnits(_ tokens: [Token]) -> [Token]? {
    var kept: [Token] = []
    var i = 0
    var afterValue = false
    while i < tokens.count {
      let t = tokens[i]
      let nextIsWord = i + 1 < tokens.count && tokens[i + 1].isLetterWord
      switch t {
      case .word where afterValue && t.isLetterWord:
        break
      case .op("/") where afterValue && nextIsWord:
        i += 1  // "/hour"
      case .op where afterValue && nextIsWord:
        return nil
      case .number, .close:
        kept.append(t)
        afterValue = true
      default:
        kept.append(t)
        afterValue = false
      }
      i += 1
    }
    return kept
  }

  static func format(_ v: Double, decimals: Int) -> String {
    if abs(v - v.rounded()) < 1e-9 { return String(Int64(v.rounded())) }
    var s = String(format: "%.\(decimals)f", v)
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
  }

  /// Recursive descent: `+ -` over `* /` over `^` over unary minus, numbers and parentheses.
  struct Parser {
    var tokens: [Token]
    var i = 0
    var atEnd: Bool { i == tokens.count }

    mutating func expression() -> Double? {
      guard var v = term() else { return nil }
      while i < tokens.count, case .op(let o) = tokens[i], o == "+" || o == "-" {
        i += 1
        guard let r = term() else { return nil }
        v = o == "+" ? v + r : v - r
      }
      return v
    }

    mutating func term() -> Double? {
      guard var v = power() else { return nil }
      while i < tokens.count, case .op(let o) = tokens[i], o == "*" || o == "/" {
        i += 1
        guard let r = power() else { return nil }
        if o == "/" && r == 0 { return nil }
        v = o == "*" ? v * r : v / r
      }
      return v
    }

    mutating func power() -> Double? {
      guard let b = unary() else { return nil }
      if i < tokens.count, tokens[i] == .op("^") {
        i += 1
        guard let e = unary(), e == e.rounded(), abs(e) <= 12 else { return nil }
        return pow(b, e)
      }
      return b
    }

    mutating func unary() -> Double? {
      guard i < tokens.count else { return nil }
      switch tokens[i] {
      case .op("-"):
        i += 1
        return unary().map { -$0 }
      case .number(let v, _):
        i += 1
        return v
      case .open:
        i += 1
        guard let v = expression(), i < tokens.count, tokens[i] == .close else { return nil }
        i += 1
        return v
      default:
        return nil
      }
    }
  }
}
