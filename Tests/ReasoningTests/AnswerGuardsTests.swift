import Reasoning
import Testing

/// `AnswerGuards.correction`: what is said before an answer ends, against the finished thoughts.
@Suite struct AnswerGuardsTests {
  static let template = " Let me correct that: the answer is {result}"
  static let missing = " So the answer is {result}"
  static let heard = "Sam has three hours free. He spends 40 minutes reading and 55 minutes cooking. How many minutes are left?"
  static let thoughts = "180 minutes - 40 minutes - 55 minutes = 85 minutes.\nSo, Sam has 85 minutes of free time left."

  func said(_ answer: String, concluded: Bool = true, missing: String? = Self.missing) -> String? {
    var g = AnswerGuards()
    g.thoughtsConcluded = concluded
    return g.correction(template: Self.template, missing: missing, thoughts: Self.thoughts, heard: Self.heard, answer: answer)
  }

  @Test("a wrong number is corrected; the result said, nothing; no number at all, the result stated")
  func cases() {
    #expect(said("Sam has 95 minutes left.") == " Let me correct that: the answer is 85")
    #expect(said("Sam has 85 minutes left.") == nil)
    #expect(said("Sam has eighty-five minutes left.") == nil)
    #expect(said("First, convert the hours to minutes. Then, subtract the reading and cooking time.") == " So the answer is 85")
    #expect(said("I can't help with that.") == nil)
  }

  @Test("an answer that says only the user's numbers back is completed, not corrected")
  func onlyHeardNumbers() {
    #expect(said("Sam spends 40 minutes reading and 55 minutes cooking.") == " So the answer is 85")
    #expect(said("Three hours is 180 minutes, minus 40 and 55.") == " Let me correct that: the answer is 85")
    #expect(said("He has 3 hours and spends 40 minutes reading.") == " So the answer is 85")
    #expect(said("Sam spends 40 minutes reading.", missing: nil) == " Let me correct that: the answer is 85")
  }

  @Test("nothing before the thoughts conclude, nothing without the set's sentence, and once per turn")
  func limits() {
    #expect(said("Sam has 95 minutes left.", concluded: false) == nil)
    #expect(said("First, convert the hours to minutes.", missing: nil) == nil)
    var g = AnswerGuards()
    g.thoughtsConcluded = true
    let first = g.correction(
      template: Self.template, missing: Self.missing, thoughts: Self.thoughts, heard: Self.heard, answer: "It is 95.")
    let again = g.correction(
      template: Self.template, missing: Self.missing, thoughts: Self.thoughts, heard: Self.heard, answer: "It is 95.")
    #expect(first != nil && again == nil && g.correctionSaid)
  }
}
