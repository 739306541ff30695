import Foundation

/// English number words → values, for answers that say "twenty-four" or "three hundred and five"
/// instead of digits. Pure; works on lower-cased word tokens.
public enum NumberWords {
  public static let units: [String: Int] = [
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
  ]
  public static let tens: [String: Int] = [
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
  ]
  public static let scales: [String: Int] = ["hundred": 100, "thousand": 1000, "million": 1_000_000]

  public static func isNumberWord(_ w: String) -> Bool {
    units[w] != nil || tens[w] != nil || scales[w] != nil || w == "dozen"
  }

  /// True when a heard word is a number (digits, or an English number word, or a multiplier such
  /// as "twice" or "half"), whatever its punctuation or case: "in four days?", "twice as many".
  public static func saysQuantity(_ words: some Sequence<String>) -> Bool {
    words.contains { w in
      let bare = w.lowercased().trimmingCharacters(in: .punctuationCharacters)
      return bare.contains(where: \.isNumber) || multipliers.contains(bare)
        || bare.split(separator: "-").contains { isNumberWord(String($0)) }  // "twenty-four"
    }
  }
  static let multipliers: Set<String> = ["twice", "half", "double", "triple", "thrice"]

  /// The value of the number phrase that starts at `words[start]`, and how many words it uses;
  /// nil when no number phrase starts there. "a" counts only before a scale or "dozen" ("a
  /// hundred", "a dozen"); "and" only inside a phrase ("three hundred and five").
  public static func parse(_ words: [String], from start: Int) -> (value: Int, count: Int)? {
    var i = start
    var total = 0  // completed thousands/millions
    var current = 0  // the part below the next scale
    var used = 0  // words that carried a number
    var lastWasTens = false
    if i < words.count, words[i] == "a", i + 1 < words.count, scales[words[i + 1]] != nil || words[i + 1] == "dozen" {
      current = 1
      i += 1
    }
    while i < words.count {
      let w = words[i]
      if let u = units[w] {
        if used > 0 && current % 100 != 0 && !(lastWasTens && u < 10) { break }  // "five six" is two numbers
        current += u
        lastWasTens = false
      } else if let t = tens[w] {
        if used > 0 && current % 100 != 0 { break }
        current += t
        lastWasTens = true
      } else if w == "hundred" {
        current = max(current, 1) * 100
        lastWasTens = false
      } else if let s = scales[w] {
        total += max(current, 1) * s
        current = 0
        lastWasTens = false
      } else if w == "dozen" {
        current = max(current, 1) * 12
        lastWasTens = false
      } else if w == "and", used > 0, i + 1 < words.count, units[words[i + 1]] != nil || tens[words[i + 1]] != nil,
        (total + current) >= 100
      {
        i += 1
        continue
      } else {
        break
      }
      used += 1
      i += 1
    }
    guard used > 0 else { return nil }
    return (total + current, i - start)
  }
}
