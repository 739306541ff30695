import Foundation
import Reasoning
import Session

/// asciicast v3 (asciinema 3.0 and later): a header line `{"version": 3, "term": {"cols", "rows"},
/// …}`, then one `[interval, code, data]` line per event, where the interval is the seconds since
/// the previous event (not since the start, as in v2). Codes used here: `"o"` output and `"m"`
/// markers (players jump between markers). Pure: events in, text out.
public struct AsciicastV3Writer {
  public let cols: Int
  public let rows: Int
  public let title: String
  private var events: [(us: Int64, order: Int, code: String, data: String)] = []

  public init(cols: Int, rows: Int, title: String) {
    self.cols = cols
    self.rows = rows
    self.title = title
  }

  /// Terminal output at absolute time `t` (seconds since the start).
  public mutating func output(_ data: String, at t: Double) { add("o", data, at: t) }
  /// A marker labelled `label` at absolute time `t`.
  public mutating func marker(_ label: String, at t: Double) { add("m", label, at: t) }

  private mutating func add(_ code: String, _ data: String, at t: Double) {
    // Whole microseconds: the intervals are differences of rounded absolute times, so their sums
    // give the absolute times back without drift.
    events.append((Int64((max(0, t) * 1e6).rounded()), events.count, code, data))
  }

  /// The file's text. Events are ordered by time (stable: at equal times, in the order added).
  public func encoded() throws -> String {
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
  public static func markers(for events: [TimedEvent]) -> [(t: Double, label: String)] {
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
