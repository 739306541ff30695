import Foundation

/// The user's words in this turn as the session heard them, and the marks the driver keeps on
/// them: where the last complete sentence ends, where the thoughts last ended, whether a sentence
/// was just completed, and whether the input was cut for room.
struct HeardWords {
  private(set) var words: [String] = []
  /// Words heard up to the end of the last complete sentence (what the thoughts could have read).
  private(set) var inCompleteSentences = 0
  /// Words heard when the thoughts last ended (the continuation note quotes what came after).
  private var atThoughtsEnd = 0
  /// The last word completed a sentence (cleared by the next step).
  var sentenceJustCompleted = false
  /// The input ran out of room: the turn's later words stay out.
  var inputCut = false
  /// The turn's interjections, in order.
  private(set) var interjections: [String] = []

  /// All of it, as one text.
  var text: String { words.joined(separator: " ") }
  /// What was said since the thoughts last ended.
  var sinceThoughtsEnded: String { words[min(atThoughtsEnd, words.count)...].joined(separator: " ") }

  /// A word the user said: the text it adds to the input (after a space, but the first).
  mutating func hear(_ word: String) -> String {
    let text = words.isEmpty ? word : " " + word
    words.append(word)
    return text
  }

  /// The sentence the last word completed says a quantity of its own (a digit or a number word:
  /// "in four days", "twice as many").
  private(set) var lastSentenceSaysNumber = false

  /// The word just heard ends a sentence.
  mutating func sentenceCompleted() {
    sentenceJustCompleted = true
    lastSentenceSaysNumber = NumberWords.saysQuantity(words[min(inCompleteSentences, words.count)...])
    inCompleteSentences = words.count
  }

  /// A typed interjection joins the words, as a complete sentence.
  mutating func interjection(_ text: String) {
    words.append(text)
    interjections.append(text)
    inCompleteSentences = words.count
  }

  /// The thoughts ended now.
  mutating func thoughtsEnded() { atThoughtsEnd = inCompleteSentences }

  /// The marks that end a question; with these, a sentence (ASCII and full-width forms).
  static let questionMarks = "?？"
  static let sentenceMarks = ".!。！" + questionMarks

  /// True when `word` ends a sentence.
  static func endsSentence(_ word: String) -> Bool { ends(word, withOneOf: sentenceMarks) }

  /// True when `word` ends a question.
  static func endsQuestion(_ word: String) -> Bool { ends(word, withOneOf: questionMarks) }

  private static func ends(_ word: String, withOneOf marks: String) -> Bool {
    word.trimmingCharacters(in: .whitespaces).last.map { marks.contains($0) } ?? false
  }
}
