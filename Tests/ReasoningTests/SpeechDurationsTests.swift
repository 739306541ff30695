import Reasoning
import Testing

/// The speech clock asks its duration provider for each chunk's length.
@Suite struct SpeechDurationsTests {
  /// Durations from a table: what a TTS engine would answer.
  struct Table: SpeechDurations {
    let seconds: [String: Double]
    func duration(of text: String, wordsPerMinute: Double) -> Double { seconds[text] ?? 9 }
  }

  @Test("words per minute: words × 60 / rate, at least 0.12 s (the paper's compute_delays, as before)")
  func wordsPerMinute() {
    let d = WordsPerMinuteDurations()
    #expect(d.duration(of: "one two three", wordsPerMinute: 60) == 3)
    #expect(d.duration(of: " four\nfive", wordsPerMinute: 120) == 1)
    #expect(d.duration(of: ".", wordsPerMinute: 1000) == 0.12)
  }

  @Test("each chunk lasts what the provider says, and the next starts when it ends")
  func providerDurations() {
    var s = SpeechClock(
      wordsPerMinute: 170, tokensPerChunk: 2, durations: Table(seconds: ["The answer": 0.75, " is 408.": 1.25]))
    s.write("The", at: 1.0)
    s.write(" answer", at: 1.25)
    s.write(" is", at: 1.2)
    s.write(" 408", at: 1.3)  // a chunk never ends inside a number
    s.write(".", at: 1.4)
    s.flush(at: 1.4)  // the writer paused
    #expect(s.chunks.map(\.text) == ["The answer", " is 408."])
    #expect(s.chunks.map(\.duration) == [0.75, 1.25])
    #expect(s.chunks.map(\.start) == [1.25, 2.0])
    #expect(s.endOfSpeech == 3.25)
  }
}
