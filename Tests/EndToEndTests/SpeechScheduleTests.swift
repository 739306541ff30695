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

    // The recording: version 1.2, the rate, and each spoken chunk's schedule at 120 wpm.
    let lines = try String(contentsOfFile: rec, encoding: .utf8).split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect(lines[0]["version"] as? String == "1.2")
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
    for (c, s) in zip(chunks, engineSays) { #expect(abs(c.start - s.0) < 0.0065 && abs(c.end - s.1) < 0.0065) }

    let said = chunks.filter { !$0.cut && !$0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }

    // Replay (headless, no gap shortened) shows the engine's lines.
    let (rs, replayOut, _) = try ExportTests.run(["replay", rec, "--headless", "--max-gap", "86400", "--speed", "1000"])
    #expect(rs == 0)
    let replaySays = Self.sayLines(replayOut)
    try #require(replaySays.count == engineSays.count)
    // (Each against the file: both print 2 decimals, the replay from the file's values rounded to 1 ms.)
    for (a, c) in zip(replaySays, chunks) { #expect(abs(a.0 - c.start) < 0.0065 && abs(a.1 - c.end) < 0.0065) }

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

  /// A word as the engine's speech clock says it: word k of n of a chunk from start + k·duration/n.
  struct Word: Equatable {
    var text: String
    var start: Double
  }

  /// The words of the chunks a recording says (an interjection drops the chunks not started by
  /// then), each at its time.
  static func words(recording lines: [[String: Any]]) throws -> [Word] {
    var chunks: [(start: Double, duration: Double, text: String)] = []
    for o in lines.dropFirst() {
      let t = (o["t"] as? NSNumber)?.doubleValue ?? -1
      switch o["type"] as? String {
      case "spoken":
        let start = try #require((o["start"] as? NSNumber)?.doubleValue)
        let duration = try #require((o["duration"] as? NSNumber)?.doubleValue)
        chunks.append((start, duration, try #require(o["text"] as? String)))
      case "interjection": chunks.removeAll { $0.start > t }
      default: break
      }
    }
    return chunks.flatMap { c in
      let parts = c.text.split(whereSeparator: { $0 == " " || $0 == "\n" })
      return parts.enumerated().map { k, w in Word(text: String(w), start: c.start + Double(k) * c.duration / Double(parts.count))
      }
    }
  }

  /// The characters a cast frame draws in the spoken style (SGR 1;32), in reading order.
  static func spokenText(_ frame: String) -> String {
    var out = ""
    var sgr = "0"
    var i = frame.startIndex
    while i < frame.endIndex {
      if frame[i] == "\u{1b}", let end = frame[i...].firstIndex(where: { $0.isLetter }) {
        if frame[end] == "m" { sgr = String(frame[frame.index(i, offsetBy: 2)..<end]) }
        i = frame.index(after: end)
        continue
      }
      if sgr == "0;1;32" && !frame[i].isWhitespace { out.append(frame[i]) }
      i = frame.index(after: i)
    }
    return out
  }

  @Test("demo --wpm 120, its replay, --vtt and --cast agree on every spoken word's time")
  func wordsAgree() throws {
    try #require(FileManager.default.fileExists(atPath: OutputTests.small), "run scripts/setup.sh for the small model")
    let rec = ExportTests.temp("jsonl")
    let vtt = ExportTests.temp("vtt")
    let cast = ExportTests.temp("cast")
    defer { for f in [rec, vtt, cast] { unlink(f) } }
    // The live demo (not a terminal: plain lines), in real time, with an interjection.
    let (status, out, err) = try ExportTests.run([
      "demo", "interject-24", "--mode", "nothink", "--wpm", "120", "--answer-budget", "30", "--record", rec, "--model",
      OutputTests.small,
    ])
    try #require(status == 0, "\(err)")
    let lines = try String(contentsOfFile: rec, encoding: .utf8).split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect((lines[0]["speech_rate_wpm"] as? NSNumber)?.doubleValue == 120)
    let words = try Self.words(recording: lines)
    try #require(words.count >= 6)
    // At 120 wpm a word lasts 0.5 s: the chunk's words follow each other at that pace.
    for (a, b) in zip(words, words.dropFirst()) where b.start - a.start < 0.5 - 1e-3 {
      Issue.record("\(a.text) at \(a.start) s and \(b.text) at \(b.start) s: less than a word apart at 120 wpm")
    }

    // The demo's own lines and the replay's name the recorded schedule: within 6.5 ms (they print
    // 2 decimals, the file rounds start and duration to 1 ms each).
    let recorded = lines.filter { $0["type"] as? String == "spoken" }.map { o -> (Double, Double) in
      let start = (o["start"] as? NSNumber)?.doubleValue ?? .nan
      return (start, start + ((o["duration"] as? NSNumber)?.doubleValue ?? .nan))
    }
    let (rs, replayOut, _) = try ExportTests.run(["replay", rec, "--headless", "--max-gap", "86400", "--speed", "1000"])
    #expect(rs == 0)
    for (name, says) in [("demo", Self.sayLines(out)), ("replay", Self.sayLines(replayOut))] {
      try #require(says.count == recorded.count, "\(name): \(says.count) say lines for \(recorded.count) spoken events")
      for (a, b) in zip(says, recorded) {
        #expect(abs(a.0 - b.0) < 0.0065 && abs(a.1 - b.1) < 0.0065, "\(name) says \(a.0)–\(a.1) s, recorded \(b.0)–\(b.1) s")
      }
    }

    // Captions: every word said, in order, at its time (the cue's start, then a timestamp per word).
    let (es, _, eerr) = try ExportTests.run(["export", rec, "--vtt", vtt, "--cast", cast, "--fps", "20", "--size", "160x48"])
    try #require(es == 0, "\(eerr)")
    var captioned: [Word] = []
    let vttLines = try String(contentsOfFile: vtt, encoding: .utf8).components(separatedBy: "\n")
    for (i, l) in vttLines.enumerated().dropLast() where l.contains(" --> ") && vttLines[i + 1].hasPrefix("Assistant: ") {
      var at = Self.seconds(l.components(separatedBy: " --> ")[0])
      for w in vttLines[i + 1].dropFirst("Assistant: ".count).split(separator: " ") {
        var text = String(w)
        if text.hasPrefix("<"), let close = text.firstIndex(of: ">") {
          at = Self.seconds(String(text[text.index(after: text.startIndex)..<close]))
          text = String(text[text.index(after: close)...])
        }
        captioned.append(Word(text: text, start: at))
      }
    }
    try #require(captioned.count == words.count, "\(captioned.count) captioned words for \(words.count) said")
    for (c, w) in zip(captioned, words) {
      #expect(
        c.text == w.text && abs(c.start - w.start) < 0.0015, "caption \(c.text) at \(c.start), said \(w.text) at \(w.start)")
    }

    // The cast (the replay's screen): at every frame, the words shown as said are those whose time
    // has come (frames within 1 ms of a word's time are left out: either side is right there).
    var frames: [(t: Double, spoken: String)] = []
    var clock = 0.0
    for l in try String(contentsOfFile: cast, encoding: .utf8).split(separator: "\n").dropFirst() {
      let e = try #require(try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [Any])
      clock += (e[0] as? NSNumber)?.doubleValue ?? 0
      if e[1] as? String == "o", let s = e[2] as? String { frames.append((clock, Self.spokenText(s))) }
    }
    let end = try #require(frames.last?.t)
    var shown = 0
    for n in 0...Int((end * 20).rounded()) {
      let t = Double(n) / 20
      while shown + 1 < frames.count && frames[shown + 1].t <= t + 1e-6 { shown += 1 }
      if words.contains(where: { abs($0.start - t) < 0.001 }) { continue }
      let want = words.filter { $0.start <= t }.map(\.text).joined()
      #expect(frames[shown].spoken == want, "at \(t) s the cast shows said: \(frames[shown].spoken); the schedule: \(want)")
    }
  }

  /// Seconds of a WebVTT time, `hh:mm:ss.ttt`.
  static func seconds(_ s: String) -> Double {
    let p = s.split(separator: ":").map { Double($0) ?? 0 }
    return p.count == 3 ? p[0] * 3600 + p[1] * 60 + p[2] : 0
  }
}
