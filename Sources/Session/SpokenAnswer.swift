import Foundation
import Reasoning

/// An answer as a listener hears it: words, numbers (digits or words) and punctuation, with the
/// number or choice letter the answer commits to. Pure text analysis for `AnswerCheck`.
///
/// Commitment, in order: after the last "the answer/result is …"; else the latest statement
/// "… is/equals/makes/has/needs N", "so … N", "N in total", "…: N" — unless the last sentence
/// with a number opens with "So," or "Therefore," and neither states one nor repeats it; else the
/// first number of the last sentence that has one. A fraction so committed to that a later sentence
/// rounds to whole units ("The result is 8.33. … you can only buy 8 full days.") commits to the
/// whole number. A number or letter right after a negation in its clause ("not 48", "isn't 42",
/// "instead of 7") is never the answer.
public struct SpokenAnswer {
  public enum Kind: Equatable {
    case word(String)  // lower-cased
    case number(Double)
    case punct(Character)
  }
  public struct Token: Equatable {
    public var kind: Kind
    public var original: String  // as written (choice letters are upper-case)
  }

  public let tokens: [Token]

  public init(_ text: String) {
    tokens = Self.foldNumberWords(Self.tokenize(text))
  }

  // MARK: - Words that carry meaning

  /// Words that state a value: "is 42", "equals 42", "it's 42", "you need 5", "makes 12".
  static let statingWords: Set<String> = [
    "is", "are", "was", "were", "be", "equals", "equal", "makes", "make", "gives", "give", "get", "gets", "comes",
    "totals", "total", "need", "needs", "have", "has", "had", "costs", "cost", "takes", "take", "leaves", "arrive",
    "arrives", "leaving", "giving", "results", "yields",
    // what money and weight problems ask for ("In two weeks, she earns 600 dollars."); not "saves",
    // which opens a phrase ("she saves by buying one pack … by $8"), nor "spends", which a wrong
    // answer to a saving question says ("Zara spends $15 more by buying 3 packs")
    "earns", "earn", "earned", "pays", "pay", "paid", "owes", "owe", "weighs", "weigh",
  ]
  static let conclusionWords: Set<String> = ["so", "therefore", "thus", "hence"]
  static let answerWords: Set<String> = ["answer", "result"]
  /// Words that open a phrase of time or place before the main clause ("In two weeks, …").
  static let openingPrepositions: Set<String> = ["in", "after", "over", "within", "for", "during", "at", "by", "from"]
  static let negators: Set<String> = ["not", "never", "cannot", "instead", "rather", "nor", "neither"]
  /// Verbs and words of a calculation: after one of them in the clause, "to get/give/make N" is its
  /// result ("I subtract 85 from 180 to get 95"), not a purpose ("… to have 60 eggs").
  static let operationWords: Set<String> = [
    "add", "adds", "added", "adding", "subtract", "subtracts", "subtracted", "subtracting", "multiply", "multiplies",
    "multiplied", "multiplying", "divide", "divides", "divided", "dividing", "plus", "minus",
  ]
  /// Words that join the numbers of a sum written out: "3 times 4 = 12", "5 x 2 = 10".
  static let operatorWords: Set<String> = ["times", "plus", "minus", "x", "divided", "by", "over"]
  /// Words of a sentence that rounds a fraction to whole units ("8 full days", "a fraction of").
  static let roundingWords: Set<String> = [
    "full", "whole", "fraction", "round", "rounded", "rounding", "complete", "entire", "partial",
  ]
  static let resultVerbs: Set<String> = ["get", "gets", "give", "gives", "make", "makes"]

  static func isNegator(_ w: String) -> Bool { negators.contains(w) || w.hasSuffix("n't") }
  static func isStating(_ w: String) -> Bool { statingWords.contains(w) || (w.hasSuffix("'s") && w != "let's") }

  func word(_ i: Int) -> String? {
    guard i >= 0, i < tokens.count, case .word(let w) = tokens[i].kind else { return nil }
    return w
  }
  func number(_ i: Int) -> Double? {
    guard i >= 0, i < tokens.count, case .number(let v) = tokens[i].kind else { return nil }
    return v
  }
  func isSentenceEnd(_ i: Int) -> Bool {
    guard case .punct(let c) = tokens[i].kind else { return false }
    return ".!?\n".contains(c)
  }
  func isClauseBreak(_ i: Int) -> Bool {
    if word(i) == "but" { return true }
    guard case .punct(let c) = tokens[i].kind else { return false }
    return ".!?\n,;:()—–".contains(c)
  }

  /// True when a negation stands within the three words before token `i`, in the same clause.
  func isNegated(_ i: Int) -> Bool {
    var j = i - 1
    var seen = 0
    while j >= 0 && seen < 3 && !isClauseBreak(j) {
      if let w = word(j), Self.isNegator(w) { return true }
      seen += 1
      j -= 1
    }
    return false
  }

  /// True when a calculation word and then a number stand earlier in the clause of token `i`
  /// ("subtract 85 from 180 to …"; not "add 5 more to …", which states a purpose).
  func followsOperation(_ i: Int) -> Bool {
    var j = i - 1
    var numbers = 0
    while j >= 0 && !isClauseBreak(j) {
      if number(j) != nil { numbers += 1 }
      if let w = word(j), Self.operationWords.contains(w) { return numbers >= 2 }
      j -= 1
    }
    return false
  }

  /// Sentence index of every token.
  var sentenceOf: [Int] {
    var s = 0
    return tokens.indices.map { i in
      defer { if isSentenceEnd(i) { s += 1 } }
      return s
    }
  }

  // MARK: - Numbers

  /// The number the answer commits to, or nil when it states none (negated ones do not count).
  public var committedNumber: Double? {
    guard let i = statedNumberIndex else { return nil }
    return number(roundedInLaterSentence(i) ?? i)
  }

  /// Candidates: the numbers no negation precedes in their clause.
  var candidateNumbers: [Int] { tokens.indices.filter { number($0) != nil && !isNegated($0) } }

  /// When the number at `i` is a fraction that a later sentence rounds to whole units and says so
  /// ("… gives me approximately 8.33. Since I can't buy a fraction of a day's lunch, I can buy 8
  /// full days."), the index of that whole number; else nil.
  func roundedInLaterSentence(_ i: Int) -> Int? {
    guard let v = number(i), v != v.rounded() else { return nil }
    let sentence = sentenceOf
    return candidateNumbers.last { k in
      sentence[k] > sentence[i] && [v.rounded(.down), v.rounded(.up)].contains(number(k)!)
        && tokens.indices.contains { sentence[$0] == sentence[k] && Self.roundingWords.contains(word($0) ?? "") }
    }
  }

  /// The index of the number the answer states as its result, by the rules above before rounding.
  var statedNumberIndex: Int? {
    let candidates = candidateNumbers
    guard !candidates.isEmpty else { return nil }
    let sentence = sentenceOf
    func firstCandidate(after j: Int, within limit: Int = .max, sameClause: Bool = false) -> Int? {
      var k = j + 1
      var words = 0
      while k < tokens.count && sentence[k] == sentence[j] && words <= limit {
        if sameClause && isClauseBreak(k) { return nil }
        if number(k) != nil { return isNegated(k) ? nil : k }
        if word(k) != nil { words += 1 }
        k += 1
      }
      return nil
    }
    // 1. the last "the answer is N" (the number after the first stating word that follows within
    //    three words, so "the answer to 6 times 8 is 48" is 48; "I put the ones place result over
    //    the tens place: 31" is no answer stated)
    for j in tokens.indices.reversed() where word(j).map(Self.answerWords.contains) == true {
      var k = j + 1
      var words = 0
      while k < tokens.count && sentence[k] == sentence[j] {
        if let w = word(k) {
          if Self.isStating(w) { break }
          words += 1
        }
        if case .punct(let c) = tokens[k].kind, ":=".contains(c) { break }
        k += 1
      }
      let stated = k < tokens.count && sentence[k] == sentence[j]
      if stated && words > 3 { continue }
      let from = stated ? k : j
      // within three words: "The final answer is the total number of eggs sold over the two
      // days." states no number (the last statement does), "two" is no answer
      if let n = firstCandidate(after: from, within: 3) { return expressionResult(from: n) ?? n }
    }
    // 2. the latest statement of a value
    var latest: Int? = nil
    for j in tokens.indices {
      var hit: Int? = nil
      if let w = word(j) {
        // an infinitive ("… to have 60 eggs") states a purpose, not a value — unless it ends a
        // calculation ("multiply 12 by 3 to get 36")
        if Self.isStating(w) && (word(j - 1) != "to" || (Self.resultVerbs.contains(w) && followsOperation(j - 1))) {
          hit = firstCandidate(after: j, within: 3, sameClause: true)
        }
        if Self.conclusionWords.contains(w) { hit = firstCandidate(after: j, sameClause: true) }
        if w == "total" || w == "altogether" || (w == "all" && word(j - 1) == "in") {
          hit = (max(0, j - 4)..<j).reversed().first { candidates.contains($0) && sentence[$0] == sentence[j] } ?? hit
        }
      } else if case .punct("=") = tokens[j].kind {
        hit = firstCandidate(after: j, within: 2)
      } else if case .punct(":") = tokens[j].kind {
        hit = firstCandidate(after: j, within: 0)  // "… each friend gets: 8."
      }
      if let h = hit, h > (latest ?? -1) { latest = h }
    }
    // 3. a last sentence that opens with a conclusion ("Therefore, Tom earns $1200 in 4 weeks.")
    //    and states no value the rules above read commits to its first number when it does not
    //    repeat that value: it overrides an intermediate stated before it ("… equals 300 dollars
    //    a week."), not a result it says again ("= 8 dollars. Therefore, she saves by buying one
    //    pack … by $8.")
    let lastSentence = sentence[candidates.last!]
    let conclusion = conclusionWord(opening: lastSentence, sentence)
    if let l = latest,
      conclusion == nil || sentence[l] == lastSentence
        || candidates.contains(where: { sentence[$0] == lastSentence && number($0) == number(l) })
    {
      return l
    }
    // 4. the first number of the last sentence that states one (past its conclusion word), after
    //    an opening phrase of time or place ("In two weeks, you read 210 pages.") when the sentence
    //    goes on to another
    let inLast = candidates.filter { sentence[$0] == lastSentence && $0 > (conclusion ?? -1) }
    if let start = tokens.indices.first(where: {
      sentence[$0] == lastSentence && $0 > (conclusion ?? -1) && word($0) != nil
    }),
      let w = word(start), Self.openingPrepositions.contains(w),
      let comma = tokens.indices.first(where: { $0 > start && sentence[$0] == lastSentence && isClauseBreak($0) }),
      let after = inLast.first(where: { $0 > comma })
    {
      return after
    }
    return inLast.first!
  }

  /// When the number at `n` opens a sum written out to its result ("138 - (13 + 26) = 99",
  /// "3 times 4 = 12"), the index of that result (the last of a chain "= 39 = 99"); else nil.
  func expressionResult(from n: Int) -> Int? {
    var result: Int? = nil
    var k = n + 1
    while k < tokens.count && !isSentenceEnd(k) {
      switch tokens[k].kind {
      case .number: break
      case .word(let w) where Self.operatorWords.contains(w): break
      case .punct("="):
        var r = k + 1
        while r < tokens.count, case .punct(let c) = tokens[r].kind, c == "$" { r += 1 }
        guard r < tokens.count, number(r) != nil, !isNegated(r) else { return result }
        result = r
        k = r
      case .punct(let c) where "+-−×*/÷()$".contains(c): break
      default: return result
      }
      k += 1
    }
    return result
  }

  /// The index of the conclusion word that opens sentence `n` with its comma ("So, …",
  /// "Therefore, …"), or nil.
  func conclusionWord(opening n: Int, _ sentence: [Int]) -> Int? {
    guard let first = tokens.indices.first(where: { sentence[$0] == n && !isSentenceEnd($0) }),
      let w = word(first), Self.conclusionWords.contains(w), first + 1 < tokens.count,
      case .punct(",") = tokens[first + 1].kind
    else { return nil }
    return first
  }

  // MARK: - Choice letters

  /// The choice letter (A–E) the answer commits to: only a letter where an answer stands — after
  /// "the answer is", "option", "(", at the start of a sentence before punctuation ("B, Jupiter"),
  /// after a stating word — and not negated ("not B").
  public var committedChoice: String? {
    let sentence = sentenceOf
    func letter(_ i: Int) -> String? {
      let o = tokens[i].original
      guard o.count == 1, "ABCDEabcde".contains(o), case .word = tokens[i].kind else { return nil }
      // lower case only where nothing else can stand: "option b", "the answer is b"
      if o.lowercased() == o {
        let p = word(i - 1)
        let named = p.map { ["option", "choice", "letter"].contains($0) } == true
        let answered = p.map(Self.isStating) == true && word(i - 2).map(Self.answerWords.contains) == true
        guard named || answered else { return nil }
      }
      return o.uppercased()
    }
    func standsAsAnswer(_ i: Int) -> Bool {
      let prevWord = word(i - 1)
      let nextIsPunctOrEnd =
        i + 1 >= tokens.count || { if case .punct = tokens[i + 1].kind { return true } else { return false } }()
      if i > 0, case .punct(let c) = tokens[i - 1].kind, "(:".contains(c) { return true }
      if i + 1 < tokens.count, case .punct(")") = tokens[i + 1].kind { return true }
      if let p = prevWord, ["option", "choice", "letter", "answer"].contains(p) { return true }
      if let p = prevWord, Self.isStating(p) || Self.conclusionWords.contains(p) {
        return nextIsPunctOrEnd || tokens[i].original != "A"
      }
      // "C is correct", "B is the right answer"
      if word(i + 1) == "is", (i + 2...i + 4).contains(where: { ["correct", "right", "answer"].contains(word($0) ?? "") }) {
        return true
      }
      let startsSentence = i == 0 || isSentenceEnd(i - 1)
      let endsSentence = i + 1 >= tokens.count || isSentenceEnd(i + 1)
      return (startsSentence && nextIsPunctOrEnd) || endsSentence
    }
    let candidates = tokens.indices.filter { letter($0) != nil && standsAsAnswer($0) && !isNegated($0) }
    guard let first = candidates.first else { return nil }
    for j in tokens.indices.reversed() {
      guard let w = word(j), Self.answerWords.contains(w) || Self.conclusionWords.contains(w) || w == "correct" else { continue }
      if let c = candidates.first(where: { $0 > j && sentence[$0] == sentence[j] }) { return letter(c) }
    }
    return letter(first)
  }

  // MARK: - Keywords

  /// True when `keyword` occurs (case-insensitive, as a substring) somewhere not negated: "Madrid,
  /// not Rome" says Madrid, not Rome.
  public static func says(_ text: String, _ keyword: String) -> Bool {
    let hay = normalize(text).lowercased()
    let needle = normalize(keyword).lowercased()
    guard !needle.isEmpty else { return true }
    var from = hay.startIndex
    while let r = hay.range(of: needle, range: from..<hay.endIndex) {
      // the words before the hit, with a stand-in token for the hit itself
      let before = SpokenAnswer(String(hay[..<r.lowerBound]) + " x")
      if !before.isNegated(before.tokens.count - 1) { return true }
      from = hay.index(after: r.lowerBound)
    }
    return false
  }

  // MARK: - Tokenizing

  static func normalize(_ s: String) -> String {
    s.replacingOccurrences(of: "\u{2019}", with: "'").replacingOccurrences(of: "\u{2018}", with: "'")
  }

  static func tokenize(_ text: String) -> [Token] {
    let chars = Array(normalize(text))
    var out: [Token] = []
    var i = 0
    func isDigit(_ k: Int) -> Bool { k >= 0 && k < chars.count && chars[k].isASCII && chars[k].isNumber }
    func isLetter(_ k: Int) -> Bool { k >= 0 && k < chars.count && chars[k].isLetter }
    while i < chars.count {
      let c = chars[i]
      let negativeSign = c == "-" && isDigit(i + 1) && (i == 0 || chars[i - 1].isWhitespace || chars[i - 1] == "(")
      if isDigit(i) || negativeSign {
        var s = negativeSign ? "-" : ""
        var k = negativeSign ? i + 1 : i
        while isDigit(k) {
          s.append(chars[k])
          k += 1
          // thousands separators: a comma followed by exactly three digits
          if k < chars.count, chars[k] == ",", isDigit(k + 1), isDigit(k + 2), isDigit(k + 3), !isDigit(k + 4) { k += 1 }
        }
        if k < chars.count, chars[k] == ".", isDigit(k + 1) {
          s.append(".")
          k += 1
          while isDigit(k) {
            s.append(chars[k])
            k += 1
          }
        }
        out.append(Token(kind: .number(Double(s) ?? 0), original: String(chars[i..<k])))
        i = k
      } else if isLetter(i) {
        var k = i
        while isLetter(k) || (k < chars.count && chars[k] == "'" && isLetter(k + 1)) { k += 1 }
        let w = String(chars[i..<k])
        out.append(Token(kind: .word(w.lowercased()), original: w))
        i = k
      } else if c == "\n" {
        out.append(Token(kind: .punct("\n"), original: "\n"))
        i += 1
      } else if c.isWhitespace || (c == "-" && isLetter(i - 1) && isLetter(i + 1)) {
        i += 1  // "twenty-four" reads as two words
      } else {
        out.append(Token(kind: .punct(c), original: String(c)))
        i += 1
      }
    }
    return out
  }

  /// Replaces number phrases ("twenty four", "three hundred and five", "a dozen") by numbers.
  static func foldNumberWords(_ tokens: [Token]) -> [Token] {
    var out: [Token] = []
    var i = 0
    while i < tokens.count {
      // digits before a scale word: "2 dozen", "1.5 million"
      if case .word(let w) = tokens[i].kind, let scale = NumberWords.scales[w] ?? (w == "dozen" ? 12 : nil),
        let last = out.last, case .number(let v) = last.kind
      {
        out[out.count - 1] = Token(kind: .number(v * Double(scale)), original: last.original + " " + tokens[i].original)
        i += 1
        continue
      }
      if case .word(let w) = tokens[i].kind, NumberWords.isNumberWord(w) || w == "a" {
        var words: [String] = []
        var k = i
        while k < tokens.count, case .word(let x) = tokens[k].kind {
          words.append(x)
          k += 1
        }
        if let (value, count) = NumberWords.parse(words, from: 0) {
          let text = tokens[i..<(i + count)].map(\.original).joined(separator: " ")
          out.append(Token(kind: .number(Double(value)), original: text))
          i += count
          continue
        }
      }
      out.append(tokens[i])
      i += 1
    }
    return out
  }
}
