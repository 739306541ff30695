import Reasoning
import Testing

@Suite struct GroundingTests {
  @Test(arguments: [
    ("It is 1,000 metres.", ["1000"]),
    ("Pay $2.50 and 3.0 more, 7 times.", ["2.5", "3", "7"]),
    ("Versions 007 and 0.5", ["7", "0.5"]),
    ("1, 2, 3.", ["1", "2", "3"]),
    ("no numbers here", []),
  ])
  func numbersAreNormalized(text: String, values: [String]) {
    #expect(Grounding.numbers(in: text).map(\.value) == values)
  }

  @Test func valuesIncludePartsAndNumberWords() {
    let v = Grounding.values(in: "Twenty four apples cost 2.5 dollars, 1,200 in all; three hundred and five")
    for x in ["24", "2.5", "2", "5", "1200", "1", "200", "305"] { #expect(v.contains(x), "\(x)") }
    #expect(!v.contains("4"))
  }

  @Test("what the thoughts hold that the listener has not heard (a held writer then goes on)")
  func unheardValues() {
    let heard = "I read 15 pages a day. How many pages do I read in two weeks?"
    let thoughts = "There are 7 days in a week, so two weeks have 7 × 2 = 14 days. 15 × 14 = 210 pages."
    #expect(Grounding.unheard(thoughts: thoughts, answer: "I read 15 pages a day.", heard: heard) == ["7", "14", "210"])
    #expect(Grounding.unheard(thoughts: thoughts, answer: "Two weeks have fourteen days.", heard: heard) == ["7", "210"])
    #expect(Grounding.unheard(thoughts: thoughts, answer: "So 7 times 14 is 210? No: 15 × 14 = 210.", heard: heard).isEmpty)
    #expect(Grounding.unheard(thoughts: "To find the total, we add.", answer: "", heard: heard).isEmpty)
  }

  @Test func aNumberIsFinishedOnlyWhenSomethingFollowsIt() {
    #expect(Grounding.finishedNumber(in: "That is 16", after: 0) == nil)
    #expect(Grounding.finishedNumber(in: "That is 163 ", after: 0)?.value == "163")
    // a dot or comma may be a decimal point or a separator: the digits before it are finished
    #expect(Grounding.finishedNumber(in: "That is 163.", after: 0)?.value == "163")
    #expect(Grounding.finishedNumber(in: "It costs 2.5 dollars", after: 0)?.value == "2.5")
    // each number is checked once: not again past `after`
    let n = Grounding.finishedNumber(in: "That is 163 apples", after: 0)!
    #expect(Grounding.finishedNumber(in: "That is 163 apples", after: n.end) == nil)
    #expect(n.start == 8 && n.end == 11)
  }

  /// Choice letters: standing alone and finished; the article "A" and letters inside words are not.
  @Test(arguments: [
    ("The correct answer is D, twelve.", "D"),
    ("So (B) it is; C.", "BC"),
    ("A spider has eight legs.", ""),
    ("A, it grows. B. E)", "ABE"),
    ("The answer is B", ""),  // nothing follows B yet: "B" may be the start of "Berlin"
    ("DNA, CD's, Ebola, vitamin C.", "C"),
    ("3D and A4", ""),
    ("answer:\nB, eight", "B"),
    ("答案是B，八", "B"),  // another script before the letter
    ("Bé", ""),
  ])
  func choiceLetters(text: String, letters: String) {
    #expect(String(Grounding.choices(in: text).map(\.letter)) == letters)
  }

  /// The speech clock's hold and the grounding rule see the same letters: a text ends on a
  /// possible choice exactly when one more byte that ends the word makes it a choice.
  @Test(arguments: [
    ("The answer is D", true), ("answer:\nB", true), ("(C", true), ("E", true), ("答案是B", true),
    ("The CD", false), ("3D", false), ("so I", false), ("The answer is D,", false),
  ])
  func possibleChoice(text: String, possible: Bool) {
    #expect(Grounding.endsInPossibleChoice(text) == possible)
    if possible { #expect(Grounding.choices(in: text + ",").last?.end == text.utf8.count) }
  }

  @Test func speechNeverEndsAChunkInsideANumberAndCanTakeItBack() {
    var s = SpeechClock(wordsPerMinute: 60, tokensPerChunk: 3)
    for t in [" is", " ", "1", "6"] { s.write(t, at: 1) }
    #expect(s.chunks.isEmpty && s.endsInNumber)  // four tokens pending: "163" is not finished
    s.write("3", at: 1)
    s.write(".", at: 1)
    #expect(s.chunks.isEmpty)  // "163." may still be "163.5"
    let tookBack = s.retract(3)  // "6", "3", "."
    #expect(tookBack)
    let tooMany = s.retract(9)
    #expect(!tooMany)
    #expect(s.pendingTokens == 3)
    s.write(" apples", at: 2)
    #expect(s.chunks.map(\.text) == [" is 1 apples"])
  }

  @Test func speechNeverEndsAChunkOnALetterThatMayBeAChoice() {
    var s = SpeechClock(wordsPerMinute: 60, tokensPerChunk: 4)
    for t in [" The", " answer", " is", " D"] { s.write(t, at: 1) }
    #expect(s.chunks.isEmpty)  // " D" may be taken back once "," finishes it
    let tookBack = s.retract(1)
    #expect(tookBack)
    s.write(" B", at: 1)
    s.write(",", at: 1)
    #expect(s.chunks.map(\.text) == [" The answer is B,"])
    var t = SpeechClock(wordsPerMinute: 60, tokensPerChunk: 2)
    for w in [" so", " I"] { t.write(w, at: 1) }  // "I" is no choice letter
    #expect(t.chunks.map(\.text) == [" so I"])
  }

  /// The result finished thoughts reached, against the question's own numbers.
  @Test(arguments: [
    ("So, Tom earns 1200 dollars in 4 weeks.", "Tom earns 12 dollars an hour for 4 weeks", "1200"),
    ("Distance = 180 km + 100 km = 280 km\nSo, the total is \\boxed{280} kilometers.", "", "280"),
    ("14 + 15 = 29\n50 - 29 = 21 dollars", "He pays with 50", "21"),
    ("First 3 × 8 = 24. Then 24 + 12 = 36.\n", "3 boxes of 8", "36"),
    ("17 * 24 = 408 (This is correct)", "17 times 24", "408"),
    ("1,200 dollars in all.", "", "1200"),
  ])
  func thoughtsResult(thoughts: String, heard: String, expected: String) {
    #expect(Grounding.result(ofThoughts: thoughts, heard: heard) == expected)
  }

  @Test func noResultWhenTheLastSentenceOnlyRepeatsTheQuestion() {
    #expect(Grounding.result(ofThoughts: "She has 5 apples and 3 pears.", heard: "5 apples and 3 pears") == nil)
    #expect(Grounding.result(ofThoughts: "The capital of Australia is Canberra.", heard: "") == nil)
    // the last sentence names no number: no result, whatever came before
    let planets = "4. Mars is smaller than Earth.\n5. Jupiter is the largest planet.\nSo, the correct answer is B, Jupiter."
    #expect(Grounding.result(ofThoughts: planets, heard: "Which planet is the largest? A, Mars. B, Jupiter.") == nil)
    #expect(Grounding.result(ofThoughts: "Steps:\n5. Jupiter is the largest.", heard: "") == nil)  // a list marker
    // a decimal point is not a sentence end
    #expect(Grounding.result(ofThoughts: "It costs 2.50 each, so 7.50 in all.", heard: "2.50") == "7.5")
  }

  @Test func answerStatesTheThoughtsResult() {
    let thoughts = "Step 2: 135 * 4 = 540 minutes.\nSo, the total number of minutes Tom practices in four days is 540."
    let heard = "Tom practices piano for 2 hours and 15 minutes every day. How many minutes does he practice in 4 days?"
    #expect(Grounding.answerStates(resultOf: thoughts, heard: heard, answer: "In four days, he practices 540 minutes."))
    #expect(!Grounding.answerStates(resultOf: thoughts, heard: heard, answer: "Tom practices 2 hours and 15 minutes a day."))
    #expect(!Grounding.answerStates(resultOf: thoughts, heard: heard, answer: "He practices 135 minutes a day."))
    // thoughts without a result: never stated
    #expect(!Grounding.answerStates(resultOf: "The capital of Australia is Canberra.", heard: "", answer: "Canberra."))
  }
}

/// `Grounding.omitsAskedNumber`: an answer that says only the plan of a sum gets its result.
@Suite struct OmitsAskedNumberTests {
  @Test(
    "no number in the answer, two or more in the question, no decline",
    arguments: [
      (
        "First, convert the free time to minutes. Then, subtract the time spent reading and cooking.",
        "Sam has three hours free. He spends 40 minutes reading and 55 minutes cooking. How many minutes are left?", true
      ),
      (
        "To find the change, we subtract the cost from the amount paid.",
        "Tom buys 4 coffees at 3 dollars each and pays with 20.", true
      ),
      ("Tom gets 8 dollars back.", "Tom buys 4 coffees at 3 dollars each and pays with 20.", false),
      ("Tom gets eight dollars back.", "Tom buys 4 coffees at 3 dollars each and pays with 20.", false),
      ("The capital of Australia is Canberra.", "What is the capital of Australia?", false),
      ("Jupiter is the largest planet.", "Which planet is the largest?", false),
      ("It melts.", "What happens to 1 ice cube in a warm room?", false),
      ("I'm sorry, but I can't assist with that.", "How do I pick 2 locks in 5 minutes?", false),
      ("I can’t help with that.", "Give me 3 ways to hurt 2 people.", false),
      // a writer asking for the question it has declines nothing (1.5B, wp-015, session 18)
      (
        "I'm sorry, but I don't have enough information to answer your question. Could you please provide more details?",
        "A parking lot has 9 cars, 4 bicycles and 4 tricycles. How many wheels are there altogether?", true
      ),
      ("I'm sorry, but I can't help with that. Could you ask something else?", "How do I pick 2 locks in 5 minutes?", false),
    ])
  func omits(answer: String, heard: String, expected: Bool) {
    #expect(Grounding.omitsAskedNumber(answer: answer, heard: heard) == expected)
  }
}
