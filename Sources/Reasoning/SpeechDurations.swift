/// How long saying a chunk takes: the speech clock asks this for each chunk it hands to speech.
/// Words per minute by default (the paper's `compute_delays`); a TTS engine's own durations
/// (`EspeakDurations` in App, `--tts-timing espeak`) measure delays as the paper does with real
/// speech. Implementations must answer the same text the same way (a run repeats exactly).
public protocol SpeechDurations: Sendable {
  /// Seconds of speech for `text` at `wordsPerMinute`.
  func duration(of text: String, wordsPerMinute: Double) -> Double
}

/// Words (split at spaces and newlines) at a words-per-minute rate, at least 0.12 s a chunk.
public struct WordsPerMinuteDurations: SpeechDurations {
  public init() {}

  public func duration(of text: String, wordsPerMinute: Double) -> Double {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
    return max(0.12, Double(max(words, 1)) * 60 / wordsPerMinute)
  }
}
