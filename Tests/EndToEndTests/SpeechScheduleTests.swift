import Foundation
import Testing

/// One speech schedule: a session at a speaking rate other than 170 wpm, recorded, then its
/// replay, captions and cast read the schedule the engine gave each spoken chunk, so they agree
/// with the engine (and each other) on when every chunk is said.
@Suite(.serialized) struct SpeechScheduleTests {
  struct Chunk: Equatable {
    var t: Double
    var start: Double
    var end: Double
    var text: String
    var cut = false
  }

  /// `[say A–B s] text` lines of `run` or `replay --headless`: (A, B).
  static func sayLines(_ out: String) -> [(Double, Double)] {
    out.split(separator: "\n").compactMap { line in
      guard let r = line.range(of: "[say "), let close = line[r.upperBound...].range(of: " s]") else { return nil }
      let span = line[r.upperBound..<close.lowerBound].components(separatedBy: "–")
      guard span.count == 2, let a = Double(span[0]), let b = Double(span[1]) else { return nil }
      return (a, b)
    }
  }

  @Test("run --wpm 120, its replay, --vtt and --cast agree with the engine on every spoken chunk's time")
  func ratesAgree() throws {
    try #require(FileManager.default.fileExists(atPath: OutputTests.small), "run scripts/setup.sh for the small model")
    let rec = ExportTests.temp("jsonl")
    let vtt = ExportTests.temp("vtt")
    let cast = ExportTests.temp("cast")
    defer { for f in [rec, vtt, cast] { unlink(f) } }
    let scenario = TmuxTests.root.appendingPathComponent("Transcripts/scenarios/interject-24.jsonl").path
    let (status, out, err) = try ExportTests.run([
      "run", scenario, "--mode", "nothink", "--virtual-time", "--wpm", "120", "--record", rec, "--model", OutputTests.small,
    ])
    try #require(status == 0, "\(err)")

    // The recording: version 1.1, the rate, and each spoken chunk's schedule at 120 wpm.
    let lines = try String(contentsOfFile: rec, encoding: .utf8).split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect(lines[0]["version"] as? String == "1.1")
    #expect((lines[0]["speech_rate_wpm"] as? NSNumber)?.doubleValue == 120)
    var chunks: [Chunk] = []
    var interjections: [Double] = []
    var endOfUtterance: Double?
    for o in lines.dropFirst() {
      let t = (o["t"] as? NSNumber)?.doubleValue ?? -1
      switch o["type"] as? String {
      case "spoken":
        let start = try #require((o["start"] as? NSNumber)?.doubleValue)
        let duration = try #require((o["duration"] as? NSNumber)?.doubleValue)
        let text = try #require(o["text"] as? String)
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
        #expect(abs(duration - max(0.12, Double(max(words, 1)) * 0.5)) < 0.002, "\(text): \(duration) s at 120 wpm")
        chunks.append(Chunk(t: t, start: start, end: start + duration, text: text))
      case "interjection":
        // What had not started by then is not said (the engine drops it).
        interjections.append(t)
        for i in chunks.indices where chunks[i].start > t { chunks[i].cut = true }
      case "end_of_utterance": endOfUtterance = endOfUtterance ?? t
      default: break
      }
    }
    try #require(chunks.count >= 3 && !interjections.isEmpty)

    // The engine's own lines name the same schedule.
    let engineSays = Self.sayLines(out)
    try #require(engineSays.count == chunks.count)
    for (c, s) in zip(chunks, engineSays) { #expect(abs(c.start - s.0) < 0.006 && abs(c.end - s.1) < 0.006) }

    let said = chunks.filter { !$0.cut && !$0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }

    // Replay (headless, no gap shortened) shows the engine's lines.
    let (rs, replayOut, _) = try ExportTests.run(["replay", rec, "--headless", "--max-gap", "86400", "--speed", "1000"])
    #expect(rs == 0)
    let replaySays = Self.sayLines(replayOut)
    try #require(replaySays.count == engineSays.count)
    for (a, b) in zip(replaySays, engineSays) { #expect(abs(a.0 - b.0) < 0.006 && abs(a.1 - b.1) < 0.006) }

    // Captions: one cue per said chunk, at its start and end (1 ms).
    let (vs, _, verr) = try ExportTests.run(["export", rec, "--vtt", vtt, "--cast", cast, "--fps", "20"])
    #expect(vs == 0, "\(verr)")
    let cues = ExportTests.assistantCues(try String(contentsOfFile: vtt, encoding: .utf8))
    try #require(cues.count == said.count, "\(cues.count) cues for \(said.count) said chunks")
    for (cue, c) in zip(cues, said) {
      #expect(abs(cue.start - c.start) < 0.0015, "cue at \(cue.start), chunk at \(c.start)")
      #expect(abs(cue.end - max(c.end, c.start + 0.2)) < 0.0015, "cue ends \(cue.end), chunk at \(c.end)")
    }

    // The cast's status line: no time to first word before the first chunk starts, then the
    // engine's (the first chunk's start less the end of the question).
    let eou = try #require(endOfUtterance)
    let ttfw = String(format: "TTFW %.2f s", said[0].start - eou)
    #expect(out.contains(String(format: "time to first word %.2f s", said[0].start - eou)), "\(out.suffix(300))")
    var clock = 0.0
    var first: Double?
    var lastFrame = ""
    for l in try String(contentsOfFile: cast, encoding: .utf8).split(separator: "\n").dropFirst() {
      let e = try #require(try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [Any])
      clock += (e[0] as? NSNumber)?.doubleValue ?? 0
      if let s = e[2] as? String, e[1] as? String == "o" { lastFrame = s }
      if let s = e[2] as? String, s.contains("TTFW "), !s.contains("TTFW –") {
        first = first ?? clock
        #expect(s.contains(ttfw), "frame at \(clock) s shows another TTFW than the engine's \(ttfw)")
      }
    }
    // …and at the end the engine's total silence.
    let delay = try #require(out.split(separator: "\n").first { $0.contains("total delay") })
    let total = try #require(Double(delay.components(separatedBy: "total delay ")[1].prefix { $0 != " " }))
    #expect(lastFrame.contains(String(format: "silence %.1f s", total)), "the engine's total delay is \(total) s")
    let shown = try #require(first)
    #expect(shown >= said[0].start - 1e-6 && shown < said[0].start + 0.05 + 1e-6, "TTFW first shown at \(shown) s")
  }
}
