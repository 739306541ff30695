import Reasoning

/// The assistant's speech as the events tell it: each `spoken` event's chunk at the start and for
/// the duration the engine's speech clock gave it, and an interjection drops the chunks that had
/// not started by then (as the engine's `SpeechClock.cut`). The one schedule the screen, replay,
/// export and metrics read; nothing re-simulates the speaking rate.
public struct SpeechSchedule: Sendable, Equatable {
  /// The chunks said, in order (`tokens` is not recorded: 0).
  public private(set) var chunks: [SpeechClock.Chunk] = []
  /// Interjection times: a chunk being said then stops there.
  public private(set) var cuts: [Double] = []

  public init() {}

  /// The schedule of a list of events.
  public init(_ events: [TimedEvent]) {
    for e in events { apply(e) }
  }

  public mutating func apply(_ e: TimedEvent) {
    switch e.event {
    case .spoken(let text, let start, let duration):
      chunks.append(SpeechClock.Chunk(text: text, tokens: 0, ready: e.t, start: start, duration: duration))
    case .interjection:
      chunks.removeAll { SpeechClock.notStarted($0, at: e.t) }
      cuts.append(e.t)
    default: break
    }
  }

  /// Every word said, in order, at its time (`SpeechClock.Chunk.words`).
  public var words: [SpeechClock.Word] { chunks.flatMap(\.words) }

  /// When the last word will have been said.
  public var endOfSpeech: Double { chunks.last?.end ?? 0 }

  /// The chunks with words, each ending where the next starts or an interjection stops it: what
  /// captions and audio show.
  public var slots: [(text: String, start: Double, end: Double)] {
    let said = chunks.filter { !$0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    return said.indices.map { i in
      let c = said[i]
      var end = c.end
      if i + 1 < said.count { end = min(end, said[i + 1].start) }
      if let cut = cuts.first(where: { $0 > c.start && $0 < end }) { end = cut }
      return (c.text.trimmingCharacters(in: .whitespacesAndNewlines), c.start, end)
    }
  }

  /// The schedule of a file written before `spoken` events carried it (format 1.0): the speaking
  /// model re-simulated at `wordsPerMinute` (the header's rate), as the readers did then; only
  /// events without a schedule (NaN) are filled in.
  public static func legacy(_ events: [TimedEvent], wordsPerMinute: Double) -> [TimedEvent] {
    var speech = SpeechClock(wordsPerMinute: wordsPerMinute)
    return events.map { e in
      switch e.event {
      case .endOfUtterance: speech.reset(at: e.t)
      case .turn: speech = SpeechClock(wordsPerMinute: wordsPerMinute)
      case .interjection:
        _ = speech.cut(at: e.t)
        speech.reset(at: e.t)
      case .spoken(let s, let start, let duration) where start.isNaN || duration.isNaN:
        speech.write(s, at: e.t)
        if let c = speech.flush(at: e.t) { return TimedEvent(t: e.t, event: .spoken(s, start: c.start, duration: c.duration)) }
      default: break
      }
      return e
    }
  }
}
