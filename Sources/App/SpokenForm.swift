import Foundation

/// What the voice says for a written chunk: the symbols an answer writes ("$12/hour",
/// "57 dollars - 6 dollars", "3 * 4", "4-5 days") as the words a person reads aloud ("12 dollars
/// per hour", "57 dollars minus 6 dollars", "3 times 4", "4 to 5 days"). espeak-ng reads them
/// letter by letter ("dollar twelve slash hour"; a spaced hyphen it drops, so "minus" went
/// unheard). Only the voice hears this form: the panes, the transcript and the checker keep the
/// written text. Pure: `Espeak` applies it to every text it synthesizes or plays.
public enum SpokenForm {
  /// `text` with money, slashes, arithmetic signs and number ranges in words.
  public static func text(_ text: String) -> String {
    var s = text
    // LaTeX's answer box, with or without its backslash and brackets: "[boxed{27}]" is "27".
    s = s.replacing(#/\[\s*\\?boxed\{([^{}]*)\}\s*\]/#) { m in String(m.output.1) }
    s = s.replacing(#/\\?boxed\{([^{}]*)\}/#) { m in String(m.output.1) }
    s = s.replacing(money) { m in dollars(String(m.output.1), cents: m.output.2.map(String.init)) }
    s = s.replacing(#/\bkm\/h\b/#) { _ in "kilometers per hour" }
    // A fraction or a date keeps its digits: "1/2" is "1 over 2".
    s = s.replacing(#/(\d)\s*\/\s*(\d)/#) { m in "\(m.output.1) over \(m.output.2)" }
    // Before a unit ("dollars/hour", "12/day") a slash is "per"; between other words ("his/her",
    // "yes/no") it is "or".
    s = s.replacing(#/([\p{L}\d])\s*\/\s*(\p{L}+)/#) { m in
      let unit = String(m.output.2)
      return "\(m.output.1) \(units.contains(unit.lowercased()) ? "per" : "or") \(unit)"
    }
    s = s.replacing(#/([^\s*])\s*\*\s*(?=[\d(])/#) { m in "\(m.output.1) times " }
    s = s.replacing(#/(\d)\s*[x×]\s*(?=\d)/#) { m in "\(m.output.1) times " }
    // An unspaced dash between numbers is a minus sign in a sum ("10-4=6"), else a range.
    s = s.replacing(#/(\d)-(\d[\d,.]*)(?=\s*=)/#) { m in "\(m.output.1) minus \(m.output.2)" }
    s = s.replacing(#/(\d)-(\d)/#) { m in "\(m.output.1) to \(m.output.2)" }
    // A spaced dash before a number (or money already in words) is a minus sign; one before a
    // word is a pause, and stays.
    s = s.replacing(#/(\S) [-–−] (?=\d)/#) { m in "\(m.output.1) minus " }
    return s
  }

  /// The words after a slash that make it "per": units of time, money, length, weight, volume
  /// and counting, singular as they follow "per".
  private static let units: Set<String> = [
    "s", "sec", "second", "min", "minute", "h", "hr", "hour", "day", "night", "week", "month", "year",
    "km", "kilometer", "kilometre", "m", "meter", "metre", "cm", "mile", "foot", "ft", "inch",
    "kg", "kilogram", "g", "gram", "lb", "pound", "l", "liter", "litre", "ml", "gallon", "cup",
    "person", "people", "student", "child", "guest", "item", "piece", "pack", "box", "bag", "unit",
    "each", "ticket", "dozen", "page", "book", "car", "trip", "game", "lesson", "class", "shift",
    "dollar", "euro", "cent",
  ]

  /// "$12", "$1,200", "$12.50", "$0.75": the amount and its currency word.
  private nonisolated(unsafe) static let money = #/\$\s?(\d[\d,]*)(?:\.(\d{1,2}))?/#

  private static func dollars(_ whole: String, cents: String?) -> String {
    let isOne = whole == "1"
    let cent = cents.map { $0.count == 1 ? $0 + "0" : $0 }
    let centValue = cent.flatMap { Int($0) } ?? 0
    if whole == "0", centValue > 0 { return "\(centValue) \(centValue == 1 ? "cent" : "cents")" }
    let main = "\(whole) \(isOne ? "dollar" : "dollars")"
    guard centValue > 0 else { return main }
    return "\(main) and \(centValue) \(centValue == 1 ? "cent" : "cents")"
  }
}
