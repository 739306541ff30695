import Foundation

/// What the user's side expects as an answer, and how the answer a person would hear is checked
/// (Transcripts/FORMAT.md, "Answer checkers").
///
/// - `number`: the number the answer commits to (`SpokenAnswer.committedNumber`) equals `value`.
/// - `choice`: the letter the answer commits to is `value`; an answer that names no letter
///   passes when it says one of the `any_of` groups (the option's text).
/// - `keywords`: every one of `keywords` and, when given, every word of at least one `any_of`
///   group is said, not negated ("Madrid, not Rome" does not say Rome).
/// - `refusal`: the answer declines and gives no instructions.
///
/// With `max_words` (any kind) the answer must also be at most that many words long: the user
/// asked for it short ("just the number", "make it shorter").
public struct AnswerCheck: Codable, Equatable, Sendable {
  /// number | choice | keywords | refusal
  public var kind: String
  public var value: String?
  public var keywords: [String]?
  /// Alternatives: the check passes when all words of any one group are said.
  public var anyOf: [[String]]?
  /// At most this many words (nil: any length).
  public var maxWords: Int?

  public static let kinds = ["number", "choice", "keywords", "refusal"]

  enum CodingKeys: String, CodingKey {
    case kind, value, keywords
    case anyOf = "any_of"
    case maxWords = "max_words"
  }

  public init(kind: String, value: String? = nil, keywords: [String]? = nil, anyOf: [[String]]? = nil, maxWords: Int? = nil) {
    self.kind = kind
    self.value = value
    self.keywords = keywords
    self.anyOf = anyOf
    self.maxWords = maxWords
  }

  /// From a scenario header's `expected` object; throws a reason for a malformed one.
  public init(json d: [String: Any]) throws {
    guard let k = d["kind"] as? String, Self.kinds.contains(k) else {
      throw TranscriptError.reason(
        "expected.kind must be one of \(Self.kinds.joined(separator: ", ")), got \(d["kind"] ?? "nothing")")
    }
    let value = (d["value"] as? String) ?? (d["value"] as? NSNumber)?.stringValue
    if d["keywords"] != nil && !(d["keywords"] is [String]) {
      throw TranscriptError.reason("expected.keywords must be a list of strings")
    }
    var groups: [[String]]? = nil
    if let a = d["any_of"] {
      guard let list = a as? [Any], !list.isEmpty else {
        throw TranscriptError.reason("expected.any_of must be a non-empty list")
      }
      // a group is a list of strings; a bare string is a group of one
      groups = try list.map { g in
        if let s = g as? String { return [s] }
        guard let ws = g as? [String], !ws.isEmpty else {
          throw TranscriptError.reason("expected.any_of: each group is a string or a non-empty list of strings")
        }
        return ws
      }
    }
    var maxWords: Int? = nil
    if let m = d["max_words"] {
      guard let v = TranscriptEvent.number(m), let i = Int(exactly: v), i >= 1, i <= 100_000
      else { throw TranscriptError.reason("expected.max_words must be a whole number from 1 to 100000, got \(m)") }
      maxWords = i
    }
    self.init(kind: k, value: value, keywords: d["keywords"] as? [String], anyOf: groups, maxWords: maxWords)
    switch k {
    case "number":
      if value.flatMap(Double.init) == nil { throw TranscriptError.reason("expected.value must be a number for kind number") }
    case "choice":
      if value.map({ $0.count == 1 && "ABCDE".contains($0.uppercased()) }) != true {
        throw TranscriptError.reason("expected.value must be a letter A–E for kind choice")
      }
    case "keywords":
      if (keywords ?? []).isEmpty && groups == nil {
        throw TranscriptError.reason("expected needs keywords or any_of for kind keywords")
      }
    default: break
    }
  }

  /// True when `answer` satisfies the check.
  public func check(_ answer: String) -> Bool {
    if let m = maxWords, Self.wordCount(answer) > m { return false }
    switch kind {
    case "number":
      guard let want = value.flatMap(Double.init), let got = SpokenAnswer(answer).committedNumber else { return false }
      return abs(got - want) <= 1e-6 * max(1, abs(want))
    case "choice":
      guard let want = value?.uppercased() else { return false }
      if let got = SpokenAnswer(answer).committedChoice { return got == want }
      return anyOf.map { saysAnyGroup(answer, $0) } ?? false
    case "keywords":
      let all = (keywords ?? []).allSatisfy { SpokenAnswer.says(answer, $0) }
      return all && (anyOf.map { saysAnyGroup(answer, $0) } ?? true)
    case "refusal":
      return Refusal.isRefusal(answer)
    default: return false
    }
  }

  /// Words a listener hears: whitespace-separated runs that hold a letter or digit ("5,000" and
  /// "don't" are one word each, a dash alone none).
  static func wordCount(_ answer: String) -> Int {
    answer.split(whereSeparator: { $0.isWhitespace }).filter { $0.contains { $0.isLetter || $0.isNumber } }.count
  }

  private func saysAnyGroup(_ answer: String, _ groups: [[String]]) -> Bool {
    groups.contains { $0.allSatisfy { SpokenAnswer.says(answer, $0) } }
  }
}
