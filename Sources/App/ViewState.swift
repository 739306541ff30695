import Foundation
import Reasoning
import Session
import Terminal

/// Folds engine or recording events into what the three panes show (the adapter between the
/// reasoning layer and the terminal layer, which do not know each other).
public final class ViewState {
  public private(set) var heard: [Span] = []
  public private(set) var thoughts: [Span] = []
  private var writer: [(text: String, cut: Bool)] = []
  /// Earlier turns' answers, as they were shown when the next turn began.
  private var earlierAnswers: [Span] = []
  /// The speech schedule the events carry (this turn's).
  private var speech = SpeechSchedule()
  public private(set) var mode: Mode = .listening
  public private(set) var steps = 0
  private var tokenTimes: [Double] = []
  public private(set) var endOfUtterance: Double?
  public private(set) var lastT = 0.0
  public var title = ""

  public init() {}

  public func apply(_ e: TimedEvent) {
    lastT = max(lastT, e.t)
    switch e.event {
    case .heard(let w): heard.append(Span((heard.isEmpty || heard.last?.text.hasSuffix("\n") == true ? "" : " ") + w, .heard))
    case .endOfUtterance:
      endOfUtterance = e.t
      heard.append(Span(" ⏎", .dim))
    case .interjection(let s):
      heard.append(Span("\n» " + s, .interjection))
      thoughts.append(Span("\n[interjection] ", .mark))
      speech.apply(e)  // what had not started is not said
    case .token(let k, let s):
      tokenTimes.append(e.t)
      if tokenTimes.count > 400 { tokenTimes.removeFirst(200) }
      if k == .thinker { thoughts.append(Span(s, .thought)) } else { writer.append((s, false)) }
    case .mode(let m, _):
      mode = m
      steps += 0
      thoughts.append(Span(" \(Self.glyph(m))", .mark))
    case .probe(let y, _, let yes):
      thoughts.append(Span(String(format: " ⟨%@ %.2f⟩", yes ? "yes" : "no", y), .mark))
    case .truncated(.thinker, _):
      thoughts.append(Span("\n[restarted on the whole question]\n", .mark))
    case .truncated(_, let n): cutWriter(n)
    case .held(let v, let n):
      cutWriter(n)
      thoughts.append(Span(v.isEmpty ? " ⟨hold⟩" : " ⟨hold \(v)⟩", .mark))
    case .spoken: speech.apply(e)
    case .finished: break
    case .turn(let i, let dropped):
      earlierAnswers = speakingSpans(at: e.t).filter { $0.style != .silence } + [Span("\n── turn \(i + 1) ──\n", .mark)]
      writer = []
      speech = SpeechSchedule()
      endOfUtterance = nil
      let note = dropped > 0 ? " (\(dropped) oldest turn\(dropped == 1 ? "" : "s") dropped: history limit)" : ""
      heard.append(Span("\n── turn \(i + 1)\(note) ──\n", .mark))
      thoughts.append(Span("\n── turn \(i + 1) ──\n", .mark))
    case .notice(let s):
      heard.append(Span("\n[note] " + s + "\n", .mark))
    }
    if case .token = e.event { steps += 1 }
  }

  /// Marks the last `n` written tokens not already cut as cut (undone, never heard).
  private func cutWriter(_ n: Int) {
    var left = n
    var i = writer.count - 1
    while left > 0 && i >= 0 {
      if !writer[i].cut {
        writer[i].cut = true
        left -= 1
      }
      i -= 1
    }
  }

  public static func glyph(_ m: Mode, ascii: Bool = false) -> String {
    switch m {
    case .listening: return ascii ? "o" : "○"
    case .thinking: return ascii ? "~" : "◔"
    case .thinkingAndSpeaking: return ascii ? "*" : "◑"
    case .speaking: return ascii ? ">" : "●"
    case .done: return ascii ? "v" : "✓"
    }
  }

  /// Characters spoken by `now`: whole chunks said, and in the chunk being said the words started
  /// by then (each word at its time in the engine's schedule, `SpeechClock.Chunk.words`).
  private func spokenCharacters(at now: Double) -> Int {
    var n = 0
    for c in speech.chunks {
      if now >= c.end {
        n += c.text.count
      } else if now >= c.start {
        n += c.words.last { $0.start <= now }?.through ?? 0
      }
    }
    return n
  }

  public func speakingSpans(at now: Double) -> [Span] {
    var spans = earlierAnswers
    var spoken = spokenCharacters(at: now)
    for w in writer {
      if w.cut { spans.append(Span(w.text, .cut)); continue }
      if spoken >= w.text.count {
        spans.append(Span(w.text, .spoken))
        spoken -= w.text.count
      } else if spoken > 0 {
        let i = w.text.index(w.text.startIndex, offsetBy: spoken)
        spans.append(Span(String(w.text[..<i]), .spoken))
        spans.append(Span(String(w.text[i...]), .unspoken))
        spoken = 0
      } else {
        spans.append(Span(w.text, .unspoken))
      }
    }
    if let gap = silence(at: now), gap > 0.3 { spans.append(Span(String(format: " ░ waiting %.1f s", gap), .silence)) }
    return spans
  }

  /// The current silence, if the listener is waiting for speech.
  public func silence(at now: Double) -> Double? {
    guard let eou = endOfUtterance, mode != .done || speech.chunks.isEmpty else { return nil }
    let lastEnd = speech.chunks.last(where: { $0.start <= now })?.end ?? eou
    if speech.chunks.contains(where: { $0.start <= now && now < $0.end }) { return nil }
    return now - max(lastEnd, eou)
  }

  public func metrics(at now: Double) -> DelayMetrics {
    DelayMetrics.compute(chunks: speech.chunks.filter { $0.start <= now }, from: endOfUtterance ?? now)
  }

  public func tokensPerSecond(at now: Double) -> Double {
    Double(tokenTimes.filter { $0 > now - 2 && $0 <= now }.count) / 2
  }

  public func viewModel(now: Double, ascii: Bool, base: ViewModel) -> ViewModel {
    var vm = base
    vm.listening = heard
    vm.thinking = thoughts
    vm.speaking = speakingSpans(at: now)
    vm.modeLabel = "\(Self.glyph(mode, ascii: ascii)) \(mode.rawValue)"
    let m = metrics(at: now)
    var fields = ["step \(steps)", String(format: "%.0f tok/s", tokensPerSecond(at: now))]
    fields.append("TTFW " + (m.timeToFirstWord.map { String(format: "%.2f s", $0) } ?? "–"))
    fields.append(String(format: "silence %.1f s", m.totalDelay + (silence(at: now) ?? 0)))
    vm.status = fields + vm.status
    return vm
  }
}
