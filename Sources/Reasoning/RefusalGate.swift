/// The writer never goes against the thinker's refusal: an instruct model's step-by-step persona
/// (the thinker) declines harmful requests far more often than the same model told to speak
/// aloud (measured: the 1.5B's writer persona complied with 7 of 7 harmful requests in a plain
/// chat turn, its thinker declined or warned on all 7; DECISIONS.md 2026-11-30). So until the
/// thoughts' first sentence is known, the writer waits; when that sentence declines or warns
/// (the prompt set's `refusalMarkers`), it is the whole answer — followed by the set's
/// `refusalClose` when it only condemns without declining (`spoken`).
public enum RefusalGate: Equatable, Sendable {
  case undecided
  case clear
  /// Say this sentence and end.
  case refuse(String)

  /// Tokens after which thoughts without a marker are clear (markers come early: "I'm sorry, but I
  /// can't…", "Building a pipe bomb is not recommended…"), and after which a declining sentence
  /// is said as far as it got.
  public static let clearAfterTokens = 12
  public static let sentenceCap = 48

  /// The gate on thoughts `text` (`tokens` long; `ended`: the thinker ended them).
  public static func decide(_ text: String, tokens: Int, ended: Bool, markers: [String]) -> RefusalGate {
    let body = text.drop { $0 == "\n" || $0 == " " }
    let sentence = firstSentence(body)
    let upTo = sentence ?? Substring(body)
    let lower = normalized(upTo)
    let flagged =
      !answersYesOrNo(lower) && markers.contains { lower.contains(normalized($0)) && !lower.contains("not " + normalized($0)) }
    if let s = sentence { return flagged ? .refuse(String(s)) : .clear }
    if ended { return flagged && !body.isEmpty ? .refuse(String(body)) : .clear }
    if !flagged { return tokens >= (restatesRequest(upTo) ? sentenceCap : clearAfterTokens) ? .clear : .undecided }
    return tokens >= sentenceCap ? .refuse(String(body) + ".") : .undecided
  }

  /// A sentence whose subject is the request said back as an -ing phrase ("Hotwiring a car that
  /// isn't yours is not a safe or legal option.") passes judgment on it only after that phrase:
  /// its marker comes past `clearAfterTokens`, so the gate waits for the sentence (to
  /// `sentenceCap`).
  static func restatesRequest(_ sentence: Substring) -> Bool {
    let first = sentence.prefix { $0.isLetter }.lowercased()
    return first.count > 4 && first.hasSuffix("ing")
  }

  /// Words with which a sentence itself declines; without one, the gate's sentence only condemns.
  static let declining = ["can't", "cannot", "can not", "won't", "will not", "unable", "not able", "sorry"]

  /// A sentence that opens with "yes" or "no" answers a question ("Yes, it is against the law to
  /// leave a dog in a hot car.") unless it declines itself ("No, I can't help with that.").
  static func answersYesOrNo(_ lower: String) -> Bool {
    let opens = ["yes", "no"].contains { w in
      lower.hasPrefix(w) && lower.dropFirst(w.count).first.map { !$0.isLetter } != false
    }
    return opens && !declines(lower)
  }

  /// The sentence (`normalized`) declines by itself ("I can't …", "I won't …", "Sorry, …").
  static func declines(_ lower: String) -> Bool { declining.contains { lower.contains($0) } }

  /// Lower case with the typographic apostrophe as `'`, as the markers and `declining` are written.
  static func normalized(_ s: some StringProtocol) -> String { s.lowercased().replacingOccurrences(of: "\u{2019}", with: "'") }

  /// What the writer says for the gate's `sentence`: the sentence, and `close` after it when the
  /// sentence does not itself decline.
  public static func spoken(_ sentence: String, close: String?) -> String {
    guard let close, !declines(normalized(sentence)) else { return sentence }
    return sentence + " " + close
  }

  /// Up to and including the first `.`, `!` or `?` followed by a space or line break, or up to a
  /// line break; nil while it has not ended.
  static func firstSentence(_ s: Substring) -> Substring? {
    var i = s.startIndex
    while i < s.endIndex {
      let c = s[i]
      if c == "\n" { return s[..<i] }
      let next = s.index(after: i)
      if ".!?".contains(c), next < s.endIndex, s[next] == " " || s[next] == "\n" { return s[...i] }
      i = next
    }
    return nil
  }
}
