import Reasoning
import Testing

/// The grounding rule on the writer's numbers (`WrittenAnswer.ungroundedNumber`), token by token
/// as the session feeds it: a number is checked once something follows it.
@Suite struct WrittenAnswerTests {
  let heard = "Aisha has 29 shells. She keeps five and shares the rest equally among 3 friends."

  /// Feeds `pieces` as sampled tokens; the first held number and the tokens kept before it.
  func feed(_ pieces: [String], computed: Set<String> = [], thoughts: String = "") -> (keep: Int, value: String)? {
    var a = WrittenAnswer()
    for v in computed { a.noteComputed(v) }
    for (i, p) in pieces.enumerated() {
      if let h = a.ungroundedNumber(adding: p, sampled: i + 1, heard: heard, thoughts: thoughts, pendingSpeech: 99) {
        return h
      }
      a.append(p)
    }
    return nil
  }

  let working = ["She keeps 5", ", so", " 29 - 5 =", " 24", " shells", " left."]

  @Test func aNumberNeitherHeardNorThoughtIsHeldBeforeItsTokens() throws {
    let h = try #require(feed(working))
    #expect(h.value == "24" && h.keep == 3)  // "24" and " shells" are not kept
  }

  @Test("a result the calculator completed is grounded: its operands were")
  func computedResultsAreGrounded() {
    #expect(feed(working, computed: ["24"]) == nil)
    #expect(feed(working, thoughts: "29 - 5 = 24 shells are shared.") == nil)
    // another number, not the one computed, is still held
    #expect(feed(working + [" Each gets", " 8", " shells."], computed: ["24"])?.value == "8")
  }

  @Test("cut back to before the calculator's completion (an interjection), its result is no longer grounded")
  func aCutForgetsTheComputedResult() {
    var a = WrittenAnswer()
    for p in ["She keeps 5", ", so", " 29 - 5 ="] { a.append(p) }
    a.noteComputed(" 24")
    a.append(" 24")
    a.truncate(keep: 1, decoded: "She keeps 5")
    for p in [", so", " 29 - 5 ="] { a.append(p) }
    let h = a.ungroundedNumber(adding: " 24", sampled: 4, heard: heard, thoughts: "", pendingSpeech: 99)
    #expect(h == nil)  // "24" is not finished yet: nothing follows it
    a.append(" 24")
    #expect(a.ungroundedNumber(adding: " shells", sampled: 5, heard: heard, thoughts: "", pendingSpeech: 99)?.value == "24")
  }
}
