import Foundation
import Reasoning
import Session
import Terminal

/// Folds engine or recording events into what the three panes show (the adapter between the
/// reasoning layer and the terminal layer, which do not know each other).
public final class ViewState {
  public private(set) var heard: [Span] = []
  public private(set) var thoughts: [Span] = []
  /// The answer's tokens as written; `cut`: undone, never heard; `mark`: the view's own break
  /// (after an interjection), neither written nor spoken.
  private var writer: [(text: String, cut: Bool, mark: Bool)] = []
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
  /// The cache layouts the events carry: the latest with its time, and the one before (shifts).
  public private(set) var layout: (map: CacheMap, t: Double)?
  private var layoutBefore: CacheMap?
  /// Truncations, holds and turns, for the map's notes and ✂ marks.
  private var cuts: [(t: Double, block: String, dropped: Int, text: String)] = []

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
      if !writer.isEmpty { writer.append(("\n", false, true)) }  // what follows answers the interjection
      speech.apply(e)  // what had not started is not said
    case .token(let k, let s):
      tokenTimes.append(e.t)
      if tokenTimes.count > 400 { tokenTimes.removeFirst(200) }
      if k == .thinker { thoughts.append(Span(s, .thought)) } else { writer.append((s, false, false)) }
    case .mode(let m, _):
      mode = m
      steps += 0
      thoughts.append(Span(" \(Self.glyph(m))", .mark))
    case .probe(let y, _, let yes):
      thoughts.append(Span(String(format: " ⟨%@ %.2f⟩", yes ? "yes" : "no", y), .mark))
    case .truncated(.thinker, let n):
      thoughts.append(Span("\n[restarted on the whole question]\n", .mark))
      noteCut(e.t, "thinker_output", n, "truncation: THOUGHTS −\(n) tokens (thoughts restarted)")
    case .truncated(_, let n):
      cutWriter(n)
      noteCut(e.t, "writer_output", n, "truncation: ANSWER −\(n) unheard tokens (interjection)")
    case .held(let v, let n):
      cutWriter(n)
      noteCut(
        e.t, "writer_output", n,
        v.isEmpty
          ? "hold: the answer may not end before the thoughts"
          : "hold: ANSWER −\(n) tokens taken back (\(v) not in the thoughts yet)")
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
    case .layout(let m):
      layoutBefore = layout?.map
      layout = (m, e.t)
    }
    if case .turn(let i, _) = e.event { noteCut(e.t, "", 0, "turn \(i + 1): history re-encoded, inputs and streams emptied") }
    if case .token = e.event { steps += 1 }
  }

  private func noteCut(_ t: Double, _ block: String, _ n: Int, _ text: String) {
    cuts.append((t, block, n, text))
    if cuts.count > 8 { cuts.removeFirst() }
  }

  /// Seconds of session time a cut stays marked on the map.
  static let cutShown = 3.0

  /// The cache map at `now`: the latest layout, each block's move since the layout before, the
  /// view's own write block marked when its stream is being written, and the cuts of the last
  /// `cutShown` seconds. Nil before the first `layout` event (and in recordings older than 1.2).
  /// `before`: the layout shifts are measured from (default: the one before the latest).
  public func cacheMapModel(now: Double, before: CacheMap?? = nil) -> CacheMapModel? {
    guard let (map, t) = layout.map({ ($0.map, $0.t) }) else { return nil }
    let layoutBefore = before ?? self.layoutBefore
    let recent = cuts.filter { $0.t <= now && now - $0.t < Self.cutShown }
    let views = map.views.map { v in
      let before = layoutBefore?.view(v.name)
      let blocks = v.entries.enumerated().map { i, e in
        let was = before?.entries.first { $0.block == e.block }?.offset
        return CacheMapModel.Block(
          name: e.block, length: e.length, offset: e.offset, shift: was.map { e.offset - $0 } ?? 0,
          writing: i == v.entries.count - 1 && map.writing.contains(e.block),
          cut: recent.filter { $0.block == e.block }.reduce(0) { $0 + $1.dropped })
      }
      return CacheMapModel.View(name: v.name, blocks: blocks)
    }
    return CacheMapModel(
      views: views, time: t, notes: recent.map { String(format: "%@ %.2f s ", $0.block.isEmpty ? "↻" : "✂", $0.t) + $0.text })
  }

  /// Marks the last `n` written tokens not already cut as cut (undone, never heard).
  private func cutWriter(_ n: Int) {
    var left = n
    var i = writer.count - 1
    while left > 0 && i >= 0 {
      if !writer[i].cut && !writer[i].mark {
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
      if w.mark { spans.append(Span(w.text, .mark)); continue }
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
    if vm.showCacheMap { vm.cacheMap = cacheMapModel(now: now) }
    let m = metrics(at: now)
    var fields = ["step \(steps)", String(format: "%.0f tok/s", tokensPerSecond(at: now))]
    fields.append("TTFW " + (m.timeToFirstWord.map { String(format: "%.2f s", $0) } ?? "–"))
    fields.append(String(format: "silence %.1f s", m.totalDelay + (silence(at: now) ?? 0)))
    vm.status = fields + vm.status
    return vm
  }
}
