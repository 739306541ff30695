/// The paper's delay metrics (`evals/tts_evaluator.py`).
public struct DelayMetrics: Codable, Equatable, Sendable {
  public var timeToFirstWord: Double?
  public var totalDelay: Double
  public var adjustedDelay: Double
  public var pauses: Int

  public init(timeToFirstWord: Double?, totalDelay: Double, adjustedDelay: Double, pauses: Int) {
    self.timeToFirstWord = timeToFirstWord
    self.totalDelay = totalDelay
    self.adjustedDelay = adjustedDelay
    self.pauses = pauses
  }

  /// Silences the listener waits through from `from` (end of the question) on.
  public static func compute(chunks: [SpeechClock.Chunk], from: Double) -> DelayMetrics {
    var earliest = from
    var delays: [Double] = []
    for c in chunks where c.end > from {
      let start = max(earliest, c.start)
      delays.append(start - earliest)
      earliest = start + c.duration
    }
    return DelayMetrics(
      timeToFirstWord: delays.first, totalDelay: delays.reduce(0, +),
      adjustedDelay: delays.reduce(0) { $0 + max($1 - 1, 0) }, pauses: delays.dropFirst().filter { $0 > 0.05 }.count)
  }
}
