/// Numbers as the grounding rule sees them: the writer may say a number only once the user said
/// it, the thoughts wrote it, or the answer already said it (DECISIONS.md 2026-11-30, "grounded
/// numbers"). Pure text analysis over UTF-8 offsets.
public enum Grounding {
  /// A number written in digits: `start..<end` in UTF-8 bytes of the text, and its value with
  /// thousands separators dropped and a decimal part without trailing zeros ("1,000" → "1000",
  /// "2.50" → "2.5", "3.0" → "3").
  public struct Number: Equatable, Sendable {
    public var start: Int
    public var end: Int
    public var value: String
    /// As written ("1,000").
    public var raw: String
  }

  /// Every run of digits in `text`, with `.` or `,` joining digits on both sides.
  public static func numbers(in text: String) -> [Number] {
    let b = Array(text.utf8)
    var out: [Number] = []
    var i = 0
    func isDigit(_ j: Int) -> Bool { j < b.count && b[j] >= 48 && b[j] <= 57 }
    while i < b.count {
      guard isDigit(i) else {
        i += 1
        continue
      }
      let start = i
      while isDigit(i) || (i < b.count && (b[i] == 46 || b[i] == 44) && isDigit(i + 1)) { i += 1 }
      let raw = String(decoding: b[start..<i], as: UTF8.self)
      out.append(Number(start: start, end: i, value: normalize(raw), raw: raw))
    }
    return out
  }

  static func normalize(_ s: String) -> String {
    var v = s.replacingOccurrences(of: ",", with: "")
    if v.contains(".") {
      while v.hasSuffix("0") { v.removeLast() }
      if v.hasSuffix(".") { v.removeLast() }
    }
    let digits = v.drop { $0 == "0" }
    return digits.isEmpty || digits.first == "." ? "0" + digits : String(digits)
  }

  /// The values a text makes available: each number in digits, each run of digits inside one
  /// ("2.5" also gives 2 and 5, "1,000" gives 1: said "1," it is not finished), and each number said in words ("twenty four" → 24).
  public static func values(in text: String) -> Set<String> {
    var set = Set<String>()
    for n in numbers(in: text) {
      set.insert(n.value)
      for part in n.raw.split(whereSeparator: { $0 == "." || $0 == "," }) { set.insert(normalize(String(part))) }
    }
    for v in numbersInWords(text) { set.insert(String(v)) }
    return set
  }

  /// Each number `text` says in words, in order ("twenty four apples and a dozen eggs" → 24, 12).
  static func numbersInWords(_ text: String) -> [Int] {
    let words = text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
    var out: [Int] = []
    var i = 0
    while i < words.count {
      if let (v, count) = NumberWords.parse(words, from: i) {
        out.append(v)
        i += count
      } else {
        i += 1
      }
    }
    return out
  }

  /// The values the thoughts hold that the listener has not heard: neither the user nor the
  /// answer said them (what a writer waiting for the thoughts still has to say).
  public static func unheard(thoughts: String, answer: String, heard: String) -> Set<String> {
    values(in: thoughts).subtracting(values(in: answer)).subtracting(values(in: heard))
  }

  /// The last number of `text` that something follows (so it cannot grow further), when it ends
  /// past byte offset `after`: the number the writer has just finished saying, if any.
  public static func finishedNumber(in text: String, after: Int) -> Number? {
    let total = text.utf8.count
    guard let last = numbers(in: text).last(where: { $0.end < total }), last.end > after else { return nil }
    return last
  }

  /// A choice letter as the grounding rule sees it: a capital A–E standing alone ("B," "(C)" "is
  /// D.") that something other than a letter, digit or apostrophe follows; an "A" that a space follows is the article
  /// ("A spider has…"). UTF-8 offsets.
  public struct Choice: Equatable, Sendable {
    public var start: Int
    public var end: Int
    public var letter: Character
  }

  /// Every finished choice letter of `text` (one that something follows).
  public static func choices(in text: String) -> [Choice] {
    let b = Array(text.utf8)
    var out: [Choice] = []
    for i in b.indices where startsChoice(b, at: i) {
      guard i + 1 < b.count, !continuesWord(b, at: i + 1), b[i + 1] != 39 else { continue }  // not "B's", "A4", "Bé"
      if b[i] == 65 && b[i + 1] == 32 { continue }  // "A " is the article
      out.append(Choice(start: i, end: i + 1, letter: Character(UnicodeScalar(b[i]))))
    }
    return out
  }

  /// `text` ends on a capital A–E that may become a choice letter once something follows it
  /// ("… is D"): what `choices(in:)` would find if the next byte ended the word. The speech clock
  /// holds such a letter back so the grounding rule can still take it back.
  public static func endsInPossibleChoice(_ text: String) -> Bool {
    let b = Array(text.utf8)
    return !b.isEmpty && startsChoice(b, at: b.count - 1)
  }

  /// A capital A–E at `i` with no ASCII letter or digit before it (not "3D", "CD"); a character
  /// of another script may stand before it ("答案是B").
  private static func startsChoice(_ b: [UInt8], at i: Int) -> Bool {
    guard b[i] >= 65 && b[i] <= 69 else { return false }
    return i == 0 || !isWordByte(b[i - 1])
  }

  /// An ASCII letter or digit.
  private static func isWordByte(_ c: UInt8) -> Bool {
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)
  }

  /// The character starting at byte `i` is a letter or digit of any script ("é" continues "Bé";
  /// "，" does not continue "B，").
  private static func continuesWord(_ b: [UInt8], at i: Int) -> Bool {
    if b[i] < 128 { return isWordByte(b[i]) }
    guard let s = String(decoding: b[i..<min(b.count, i + 4)], as: UTF8.self).unicodeScalars.first else { return true }
    return s.properties.isAlphabetic || s.properties.numericType != nil
  }

  /// The answer states no number (digits or number words) though the question held two or more —
  /// a sum or a word problem asks for one — and does not decline ("I can't help with that."); an
  /// answer that only asks for the question it was given ("I'm sorry, but I don't have enough
  /// information… could you provide more details?") declines nothing.
  public static func omitsAskedNumber(answer: String, heard: String) -> Bool {
    let lower = RefusalGate.normalized(answer)
    return values(in: answer).isEmpty && numbers(in: heard).count + numbersInWords(heard).count >= 2
      && (!RefusalGate.declines(lower) || asksForTheQuestion.contains { lower.contains($0) })
  }

  /// Phrases of a writer that asks for a question it already has (measured on the 1.5B when it
  /// starts on a fragment of thoughts, session 18).
  static let asksForTheQuestion = [
    "enough information", "more details", "more context", "provide more", "clarify your question",
    "go ahead and ask", "ask your question", "what is your question",
  ]

  /// The result finished thoughts reached: the last `\boxed{…}` number, else the last number of
  /// their last sentence (or line) that the user did not say and that is not a list marker ("So,
  /// Tom earns 1200 dollars in 4 weeks." → 1200 when the user said 4); nil when the last sentence
  /// states no new number ("So, the correct answer is B, Jupiter.").
  public static func result(ofThoughts thoughts: String, heard: String) -> String? {
    if let r = thoughts.range(of: "\\boxed{", options: .backwards),
      let n = numbers(in: String(thoughts[r.upperBound...])).first
    {
      return n.value
    }
    let b = Array(thoughts.utf8)
    var end = b.count
    while end > 0, [10, 13, 32, 46, 33, 63].contains(b[end - 1]) { end -= 1 }  // trailing space and . ! ?
    var start = end
    while start > 0 {
      let c = b[start - 1]
      if c == 10 { break }
      if (c == 46 || c == 33 || c == 63) && start < b.count && (b[start] == 32 || b[start] == 10) { break }
      start -= 1
    }
    let heardValues = values(in: heard)
    let sentence = numbers(in: thoughts).filter { $0.start >= start && $0.end <= end }
    return sentence.last { n in
      let first = String(decoding: b[start..<n.start], as: UTF8.self).allSatisfy(\.isWhitespace)
      let marker = first && n.end < b.count && (b[n.end] == 46 || b[n.end] == 41)  // "5." / "5)" opening a line
      return !marker && !heardValues.contains(n.value)
    }?.value
  }

  /// The answer already says the result finished thoughts reached (`result(ofThoughts:heard:)`);
  /// false when they reached none.
  public static func answerStates(resultOf thoughts: String, heard: String, answer: String) -> Bool {
    guard let r = result(ofThoughts: thoughts, heard: heard) else { return false }
    return values(in: answer).contains(r)
  }
}
