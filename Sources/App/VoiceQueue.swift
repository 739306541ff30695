import Reasoning
import Session

/// When to say which spoken chunk (`--voice`): fed the session's events, asked at each tick.
/// A chunk is said at the instant its `spoken` event's start says (the speech clock's), so the
/// voice begins while the thinker still writes; an interjection stops the voice at the cut and
/// drops the chunks not started by then (as the engine's `SpeechClock.cut`). Pure.
public struct VoiceQueue: Sendable, Equatable {
  public enum Action: Equatable, Sendable {
    /// Say this text now; the speech clock gives it `duration` seconds.
    case say(String, duration: Double)
    /// Stop the voice (an interjection cut it).
    case stop
  }

  /// Chunks announced and not said yet, in start order.
  private var pending: [SpeechClock.Chunk] = []
  /// When the chunk being said ends (by the speech clock).
  private var speakingUntil = -Double.infinity

  public init() {}

  /// Takes one event; an interjection returns `.stop` when a chunk is being said.
  public mutating func apply(_ e: TimedEvent) -> [Action] {
    switch e.event {
    case .spoken(let text, let start, let duration) where !start.isNaN && !duration.isNaN:
      pending.append(SpeechClock.Chunk(text: text, tokens: 0, ready: e.t, start: start, duration: duration))
      return []
    case .interjection:
      pending.removeAll { SpeechClock.notStarted($0, at: e.t) }
      let wasSpeaking = e.t < speakingUntil
      speakingUntil = -Double.infinity
      return wasSpeaking ? [.stop] : []
    default:
      return []
    }
  }

  /// The chunks whose start has come by `now`, to say now, in order. A chunk whose end has
  /// passed too (the voice fell behind: a stalled process) is skipped, not said late; chunks
  /// without words are not said.
  public mutating func due(at now: Double) -> [Action] {
    var out: [Action] = []
    while let c = pending.first, c.start <= now {
      pending.removeFirst()
      guard c.end > now || c.duration == 0 else { continue }
      let words = c.text.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !words.isEmpty else { continue }
      speakingUntil = c.end
      out.append(.say(words, duration: c.duration))
    }
    return out
  }

  /// Chunks announced and not said yet.
  public var waiting: Int { pending.count }

  /// When the next chunk starts, if one waits.
  public var nextStart: Double? { pending.first?.start }
}
