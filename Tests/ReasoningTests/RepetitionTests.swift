import Reasoning
import Testing

/// `Repetition.loopPeriod`: a tail said three times or more, at least 24 tokens in all.
@Suite struct RepetitionTests {
  static let phrase: [Int32] = [11, 12, 13, 14, 15, 16, 17, 18, 19]  // 9 tokens
  static let lead: [Int32] = Array(100..<140)

  @Test("a phrase three times back to back, or one token 24 times, is a loop; its period is found")
  func loops() {
    #expect(Repetition.loopPeriod(Self.lead + Self.phrase + Self.phrase + Self.phrase) == 9)
    #expect(Repetition.loopPeriod(Self.lead + [5] + Array(repeating: 7, count: 24)) == 1)
    #expect(Repetition.loopPeriod(Self.lead + Array(Array(repeating: [Int32(3), 4], count: 12).joined())) == 2)
  }

  @Test("twice is no loop; three times shorter than 24 tokens is none; a phrase with another number between is none")
  func notLoops() {
    #expect(Repetition.loopPeriod(Self.lead + Self.phrase + Self.phrase) == nil)
    let short: [Int32] = [1, 2, 3, 1, 2, 3, 1, 2, 3]
    #expect(Repetition.loopPeriod(Self.lead + short) == nil)
    // "the number of eggs sold on Monday is 36. the number of eggs sold on Tuesday is 48. …"
    let steps = [Int32(1), 2, 3, 4, 5, 60, 7, 36] + [1, 2, 3, 4, 5, 61, 7, 48] + [1, 2, 3, 4, 5, 62, 7, 84]
    #expect(Repetition.loopPeriod(Self.lead + steps) == nil)
    #expect(Repetition.loopPeriod([]) == nil)
    #expect(Repetition.loopPeriod(Self.lead) == nil)
  }
}
