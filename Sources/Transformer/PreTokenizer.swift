/// The regex pre-tokenizers of llama.cpp's BPE vocabularies, hand-written over Unicode scalars:
/// - `gpt2`: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
/// - `smollm`: every `\p{N}` split off first, then `gpt2`
/// - `qwen2`: `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
/// - `llama-bpe`: as `qwen2` with `\p{N}{1,3}`
public struct PreTokenizer: Sendable {
  public enum Kind: String, Sendable { case gpt2, smollm, qwen2, llamaBPE = "llama-bpe" }
  public let kind: Kind

  public init(name: String) throws {
    switch name {
    case "gpt2", "gpt-2", "default": kind = .gpt2
    case "smollm", "starcoder", "refact": kind = .smollm
    case "qwen2", "deepseek-r1-qwen": kind = .qwen2
    case "llama-bpe", "llama3": kind = .llamaBPE
    default: throw TokenizerError.unsupportedPreTokenizer(name)
    }
  }

  /// Splits `text` into words (the regex matches, in order; they concatenate back to `text`).
  public func split(_ text: String) -> [Substring.UnicodeScalarView] {
    let s = Array(text.unicodeScalars)
    var out: [Substring.UnicodeScalarView] = []
    let view = text.unicodeScalars
    var indices: [String.UnicodeScalarView.Index] = []
    indices.reserveCapacity(s.count + 1)
    var i = view.startIndex
    while i != view.endIndex {
      indices.append(i)
      i = view.index(after: i)
    }
    indices.append(view.endIndex)
    let classes = s.map(CharClass.init)
    var fragments: [Range<Int>] = [0..<s.count]
    if kind == .smollm {
      fragments = []
      var start = 0
      for j in 0..<s.count where classes[j] == .number {
        if j > start { fragments.append(start..<j) }
        fragments.append(j..<(j + 1))
        start = j + 1
      }
      if start < s.count { fragments.append(start..<s.count) }
    }
    for frag in fragments {
      var p = frag.lowerBound
      while p < frag.upperBound {
        let n =
          kind == .qwen2 || kind == .llamaBPE
          ? matchLlama3(s, classes, p, frag.upperBound, maxDigits: kind == .qwen2 ? 1 : 3)
          : matchGPT2(s, classes, p, frag.upperBound)
        out.append(Substring(text).unicodeScalars[indices[p]..<indices[p + n]])
        p += n
      }
    }
    return out
  }

  enum CharClass: Equatable {
    case letter, number, space, newline, other
    init(_ c: Unicode.Scalar) {
      if c == "\n" || c == "\r" { self = .newline; return }
      switch c.properties.generalCategory {
      case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
        self = .letter
      case .decimalNumber, .letterNumber, .otherNumber: self = .number
      default: self = c.properties.isWhitespace || (c.value >= 0x1c && c.value <= 0x1f) ? .space : .other
      }
    }
    var isSpace: Bool { self == .space || self == .newline }
  }

  /// Length of a contraction ('s 't 're 've 'm 'll 'd) at p, or 0.
  private func contraction(_ s: [Unicode.Scalar], _ p: Int, _ end: Int, caseInsensitive: Bool) -> Int {
    guard s[p] == "'", p + 1 < end else { return 0 }
    func low(_ i: Int) -> Character? {
      guard i < end else { return nil }
      let c = Character(s[i])
      return caseInsensitive ? Character(c.lowercased()) : c
    }
    switch low(p + 1) {
    case "s", "t", "m", "d": return 2
    case "r": return low(p + 2) == "e" ? 3 : 0
    case "v": return low(p + 2) == "e" ? 3 : 0
    case "l": return low(p + 2) == "l" ? 3 : 0
    default: return 0
    }
  }

  private func run(_ cl: [CharClass], _ p: Int, _ end: Int, _ pred: (CharClass) -> Bool) -> Int {
    var q = p
    while q < end && pred(cl[q]) { q += 1 }
    return q - p
  }

  /// Whitespace rules shared by both patterns: `\s+(?!\S)|\s+`.
  private func whitespace(_ cl: [CharClass], _ p: Int, _ end: Int) -> Int {
    let n = run(cl, p, end, { $0.isSpace })
    if p + n == end || n == 1 { return n }
    return n - 1  // leave the last space to prefix the next word
  }

  private func matchGPT2(_ s: [Unicode.Scalar], _ cl: [CharClass], _ p: Int, _ end: Int) -> Int {
    let c = contraction(s, p, end, caseInsensitive: false)
    if c > 0 { return c }
    let lead = s[p] == " " && p + 1 < end ? 1 : 0
    let first = cl[p + lead]
    if first == .letter && (lead == 0 || cl[p] == .space) { return lead + run(cl, p + lead, end, { $0 == .letter }) }
    if first == .number { return lead + run(cl, p + lead, end, { $0 == .number }) }
    if first == .other { return lead + run(cl, p + lead, end, { $0 == .other }) }
    return whitespace(cl, p, end)
  }

  private func matchLlama3(_ s: [Unicode.Scalar], _ cl: [CharClass], _ p: Int, _ end: Int, maxDigits: Int) -> Int {
    let c = contraction(s, p, end, caseInsensitive: true)
    if c > 0 { return c }
    // [^\r\n\p{L}\p{N}]?\p{L}+
    if cl[p] == .letter { return run(cl, p, end, { $0 == .letter }) }
    if cl[p] != .newline && cl[p] != .number && p + 1 < end && cl[p + 1] == .letter {
      return 1 + run(cl, p + 1, end, { $0 == .letter })
    }
    // \p{N}{1,maxDigits}
    if cl[p] == .number { return min(maxDigits, run(cl, p, end, { $0 == .number })) }
    // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
    let lead = s[p] == " " && p + 1 < end && cl[p + 1] == .other ? 1 : 0
    if cl[p + lead] == .other {
      var n = lead + run(cl, p + lead, end, { $0 == .other })
      n += run(cl, p + n, end, { $0 == .newline })
      return n
    }
    // \s*[\r\n]+ : the longest whitespace prefix ending in a newline
    let ws = run(cl, p, end, { $0.isSpace })
    var lastNL = -1
    for j in p..<(p + ws) where cl[j] == .newline { lastNL = j }
    if lastNL >= 0 { return lastNL - p + 1 }
    return whitespace(cl, p, end)
  }
}
