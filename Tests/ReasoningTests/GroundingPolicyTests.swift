import Reasoning
import Testing

@Suite struct GroundingPolicyTests {
  typealias F = ReasoningPolicy.TokenFlags

  func speaking(_ tweak: (inout PolicyOptions) -> Void = { _ in }) -> ReasoningPolicy {
    var o = PolicyOptions()
    o.speakAfter = 2
    o.probeInterval = 100
    tweak(&o)
    var p = ReasoningPolicy(options: o)
    for i in [
      ReasoningPolicy.Input.heardWords(sentenceComplete: true), .endOfUtterance, .stepped(thinker: F(), writer: nil),
      .stepped(thinker: F(), writer: nil),
    ] { p.observe(i) }
    return p
  }

  @Test func aHeldWriterWaitsForTheNextLineOfThoughts() {
    var p = speaking()
    #expect(p.mode == .thinkingAndSpeaking)
    p.observe(.stepped(thinker: F(), writer: F(held: true)))
    #expect(p.mode == .thinking && p.writerHeld)
    #expect(p.answerTokens == 0)  // the taken-back token does not count
    // neither the silence bound nor a probe restarts it: only a line of thoughts
    for _ in 0..<5 { p.observe(.stepped(thinker: F(), writer: nil)) }
    p.observe(.probeAnswered(yes: true))
    #expect(p.mode == .thinking && p.nextAction() == .step(thinker: true, writer: false))
    p.observe(.stepped(thinker: F(lineEnd: true), writer: nil))
    #expect(p.mode == .thinkingAndSpeaking && !p.writerHeld)
  }

  @Test("a held writer released by a paragraph of thoughts probes first, or (probeOnRelease off) tries again at once")
  func releaseProbesOnlyIfAsked() {
    for probe in [true, false] {
      var p = speaking { $0.probeOnRelease = probe }
      p.observe(.stepped(thinker: F(), writer: F(held: true)))
      // the line that releases the writer also ends a paragraph, which makes a probe due
      p.observe(.stepped(thinker: F(paragraphEnd: true), writer: nil))
      #expect(p.mode == .thinkingAndSpeaking)
      #expect(p.nextAction() == (probe ? .probe : .step(thinker: true, writer: true)))
    }
  }

  @Test func endedThoughtsReleaseAHeldWriter() {
    var p = speaking()
    p.observe(.stepped(thinker: F(), writer: F(held: true)))
    p.observe(.stepped(thinker: F(endOfThinking: true), writer: nil))
    #expect(p.mode == .speaking && !p.writerHeld)
  }

  @Test func anInterjectionClearsTheHold() {
    var p = speaking()
    p.observe(.stepped(thinker: F(), writer: F(held: true)))
    p.observe(.interjection)
    #expect(!p.writerHeld && p.mode == .thinking)
  }
}
