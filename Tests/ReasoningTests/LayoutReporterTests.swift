import Foundation
import Reasoning
import Session
import Testing

/// When a `layout` event is due: growth of the stream blocks alone at most once per interval of
/// session time; any other change, and forced reports (truncations, holds, turns), at once.
@Suite struct LayoutReporterTests {
  static func map(input: Int = 5, thoughts: Int = 0, answer: Int = 0, writing: [String] = ["thinker_output"]) -> CacheMap {
    CacheMap(
      views: [
        CacheMap.view("thinker", [("thinker_prefix", 30), ("input_t", input), ("thinker_output", thoughts)]),
        CacheMap.view(
          "writer", [("writer_prefix", 40), ("input_w", input), ("thinker_output", thoughts), ("writer_output", answer)]),
      ], writing: writing)
  }

  @Test(
    "a table of maps at session times → reported or not",
    arguments: [
      // (after the first map at t = 0, this map at t, forced) → reported
      (map(thoughts: 1), 0.05, false, false),  // growth alone, too soon
      (map(thoughts: 1), 0.2, false, true),  // growth alone, an interval later
      (map(thoughts: 1), 0.05, true, true),  // a truncation or turn: at once
      (map(input: 6), 0.05, false, true),  // a word heard
      (map(writing: ["thinker_output", "writer_output"]), 0.05, false, true),  // the writer starts
      (map(), 5.0, true, false),  // nothing changed: never
    ])
  func table(next: CacheMap, t: Double, forced: Bool, reported: Bool) {
    var r = LayoutReporter()
    let first = r.report(Self.map(), at: 0)
    let second = r.report(next, at: t, forced: forced)
    #expect(first)
    #expect(second == reported)
    #expect(r.last == (reported ? next : Self.map()))
  }

  @Test("off: nothing is reported")
  func off() {
    var r = LayoutReporter()
    r.enabled = false
    let reported = r.report(Self.map(), at: 0)
    #expect(!reported)
  }
}

/// The committed golden logs (real sessions of the small model): every cut is followed at once by
/// the layout it left, and every layout's views hold the blocks the session's views hold.
@Suite struct GoldenLayoutTests {
  @Test("in the golden logs each truncation and hold is followed by a layout at the same time")
  func cutsReportLayout() throws {
    let dir = GoldenLogTests.goldens
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".jsonl") }
    try #require(!files.isEmpty)
    var cuts = 0
    for f in files {
      let lines = try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8).split(separator: "\n")
      let events: [TimedEvent] = lines.compactMap { line in
        guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          case .event(let e)? = try? TranscriptEvent.decode(o)
        else { return nil }
        return e
      }
      #expect(events.contains { if case .layout = $0.event { true } else { false } }, "\(f) has layout events")
      for (i, e) in events.enumerated() {
        switch e.event {
        case .truncated(_, let n) where n > 0, .held(_, let n) where n > 0:
          cuts += 1
          let next = events[(i + 1)...].first { if case .layout = $0.event { true } else { false } }
          #expect(next?.t == e.t, "\(f): the cut at \(e.t) s is followed by its layout")
        case .layout(let m):
          #expect(m.views.map(\.name) == ["thinker", "writer", "probe"], "\(f)")
          #expect(m.view("writer")?.entries.last?.block == "writer_output", "\(f)")
        default: break
        }
      }
    }
    #expect(cuts > 0)
  }
}
