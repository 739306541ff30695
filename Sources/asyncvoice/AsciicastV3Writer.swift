import Foundation
import Reasoning
import Session
import Terminal

/// asciicast v3 (asciinema 3.0 and later): a header line `{"version": 3, "term": {"cols", "rows"},
/// …}`, then one `[interval, code, data]` line per event, where the interval is the seconds since
/// the previous event (not since the start, as in v2). Codes used here: `"o"` output and `"m"`
/// markers (players jump between markers). Pure: events in, text out.
struct AsciicastV3Writer {
  let cols: Int
  let rows: Int
  let title: String
  private var events: [(us: Int64, order: Int, code: String, data: String)] = []

  init(cols: Int, rows: Int, title: String) {
    self.cols = cols
    self.rows = rows
    self.title = title
  }

  /// Terminal output at absolute time `t` (seconds since the start).
  mutating func output(_ data: String, at t: Double) { add("o", data, at: t) }
  /// A marker labelled `label` at absolute time `t`.
  mutating func marker(_ label: String, at t: Double) { add("m", label, at: t) }

  private mutating func add(_ code: String, _ data: String, at t: Double) {
    // Whole microseconds: the intervals are differences of rounded absolute times, so their sums
    // give the absolute times back without drift.
    events.append((Int64((max(0, t) * 1e6).rounded()), events.count, code, data))
  }

  /// The file's text. Events are ordered by time (stable: at equal times, in the order added).
  func encoded() throws -> String {
    let header: [String: Any] = ["version": 3, "term": ["cols": cols, "rows": rows, "type": "xterm-256color"], "title": title]
    var out = TranscriptEvent.line(header) + "\n"
    var prev: Int64 = 0
    for e in events.sorted(by: { ($0.us, $0.order) < ($1.us, $1.order) }) {
      let dt = e.us - prev
      prev = e.us
      let data = try JSONSerialization.data(withJSONObject: [e.data], options: [.withoutEscapingSlashes])
      let quoted = String(decoding: data, as: UTF8.self).dropFirst().dropLast()  // the string inside [ ]
      out += "[" + String(format: "%lld.%06lld", dt / 1_000_000, dt % 1_000_000) + ", \"\(e.code)\", " + quoted + "]\n"
    }
    return out
  }

  /// Markers for what a viewer wants to jump to: probes, mode switches, interjections, turns.
  static func markers(for events: [TimedEvent]) -> [(t: Double, label: String)] {
    events.compactMap { e in
      switch e.event {
      case .probe(let y, _, let yes): return (e.t, "probe: \(yes ? "yes" : "no") (p=" + String(format: "%.2f", y) + ")")
      case .mode(let m, let why): return (e.t, "mode: \(m.rawValue)" + (why.isEmpty ? "" : " (\(why))"))
      case .interjection(let s): return (e.t, "interjection: \(s)")
      case .turn(let i, _): return (e.t, "turn \(i + 1)")
      default: return nil
      }
    }
  }
}

extension ExportCommand {
  /// The screen as the replay shows it, every 1/fps seconds from 0 to the end plus 2 s, one
  /// entry per changed frame (ANSI text that repaints the whole screen).
  static func castFrames(_ t: Transcript, width w: Int, height h: Int, fps: Double) -> [(t: Double, ansi: String)] {
    let state = ViewState()
    var i = 0
    let end = t.duration + 2
    var prev: Grid? = nil
    var out: [(Double, String)] = []
    var n = 0
    while Double(n) / fps <= end {
      let frame = Double(n) / fps
      while i < t.events.count && t.events[i].t <= frame { state.apply(t.events[i]); i += 1 }
      var base = ViewModel()
      base.status = [t.id, "replay"]
      let g = Renderer.render(state.viewModel(now: frame, ascii: false, base: base), width: w, height: h)
      if g != prev {
        out.append(
          (
            frame,
            "\u{1b}[H"
              + g.text.split(separator: "\n", omittingEmptySubsequences: false).map { $0 + "\u{1b}[K" }.joined(separator: "\r\n")
          ))
        prev = g
      }
      n += 1
    }
    return out
  }

  /// Writes an asciicast v3 file with markers at probes, mode switches, interjections and turns.
  func writeCastV3(_ t: Transcript, to path: String) throws {
    let p = size.split(separator: "x").compactMap { Int($0) }
    var cast = AsciicastV3Writer(cols: p[0], rows: p[1], title: "AsyncVoice \(t.id)")
    for f in Self.castFrames(t, width: p[0], height: p[1], fps: fps) { cast.output(f.ansi, at: f.t) }
    let markers = AsciicastV3Writer.markers(for: t.events)
    for m in markers { cast.marker(m.label, at: m.t) }
    try OutputFile.write(cast.encoded(), to: path)
    print("wrote \(path) (asciicast v3, \(markers.count) markers; play with: asciinema play \(path))")
  }
}
