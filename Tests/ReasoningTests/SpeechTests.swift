import Reasoning
import Testing

@Suite struct SpeechTests {
  @Test("compute_delays([1,3,8],[5,1,3]) from the paper's code")
  func paperExample() {
    let chunks = [(1.0, 5.0), (3.0, 1.0), (8.0, 3.0)].map {
      SpeechClock.Chunk(text: "x", tokens: 5, ready: $0.0, start: $0.0, duration: $0.1)
    }
    var c = chunks
    // starts as compute_delays would schedule them
    c[1].start = 6
    c[2].start = 8
    let m = DelayMetrics.compute(chunks: c, from: 0)
    #expect(m.timeToFirstWord == 1)
    #expect(m.totalDelay == 2)
    #expect(m.adjustedDelay == 0)
  }

  @Test("held tokens make no chunk; released, they make one from the release when complete, or whatever their count when closing")
  func holding() {
    var s = SpeechClock(wordsPerMinute: 60, tokensPerChunk: 5)
    s.holding = true
    for i in 0..<6 { #expect(s.write(" w", at: 1 + Double(i) * 0.1) == nil) }
    #expect(s.flush(at: 2) == nil && s.chunks.isEmpty && s.pendingTokens == 6)
    #expect(s.retract(1) && s.pendingTokens == 5)  // a number taken back while held
    let c = s.release(at: 3, closing: false)
    #expect(c?.start == 3 && c?.tokens == 5 && !s.holding)

    var partial = SpeechClock(wordsPerMinute: 60, tokensPerChunk: 5)
    partial.holding = true
    partial.write(" a", at: 1)
    #expect(partial.release(at: 2, closing: false) == nil && partial.pendingTokens == 1)  // the writer goes on
    partial.holding = true
    #expect(partial.release(at: 2, closing: true)?.text == " a")  // the writer paused: said as it is
  }

  @Test func chunksOfFiveTokensSpokenInOrder() {
    var s = SpeechClock(wordsPerMinute: 60, tokensPerChunk: 5)
    s.reset(at: 1)
    for i in 0..<5 { s.write(" w", at: 2 + Double(i) * 0.1) }
    #expect(s.chunks.count == 1)
    #expect(s.chunks[0].start == 2.4)
    #expect(s.chunks[0].duration == 5)  // five words at one per second
    s.write(" a", at: 3)
    s.flush(at: 3)
    #expect(s.chunks[1].start == 7.4)  // waits for the first chunk to end
    #expect(s.heardTokens(at: 3) == 5)
    #expect(s.cut(at: 3) == 1)
    #expect(s.chunks.count == 1)
  }
}
