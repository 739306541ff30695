import Foundation
import Reasoning
import Session
import Testing

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func tempPath(_ name: String) -> String {
  FileManager.default.temporaryDirectory.appendingPathComponent("asyncvoice-\(UUID().uuidString)-\(name)").path
}

let sampleEvents: [TimedEvent] = [
  .init(t: 0.5, event: .heard("What")), .init(t: 0.8, event: .heard("is 🍎?")), .init(t: 1.1, event: .endOfUtterance),
  .init(t: 1.2, event: .mode(.thinking, reason: "user finished")), .init(t: 1.25, event: .token(.thinker, "1. 日本\n")),
  .init(t: 1.3, event: .probe(pYes: 0.61, pNo: 0.2, yes: true)),
  .init(t: 1.3, event: .mode(.thinkingAndSpeaking, reason: "probe: yes")),
  .init(t: 1.35, event: .token(.writer, "The \"answer\"")),
  .init(t: 1.4, event: .spoken("The \"answer\"", start: 1.4, duration: 0.706)),
  .init(t: 2.0, event: .interjection("wait")), .init(t: 2.0, event: .truncated(.writer, dropped: 3)),
  .init(t: 3.0, event: .finished("answer complete")),
]

@Suite struct TranscriptTests {
  func record(_ events: [TimedEvent]) throws -> String {
    let p = tempPath("rec.jsonl")
    let r = try Recorder(path: p, header: ["id": "t", "model": ["name": "x"]])
    for e in events { r.record(e) }
    r.close()
    return p
  }

  @Test func roundTrip() throws {
    let p = try record(sampleEvents)
    let t = try Transcript.load(path: p)
    #expect(t.events == sampleEvents)
    #expect(t.kind == "recording")
    #expect(t.userEvents.count == 4)
  }

  @Test("a layout event round-trips: each view's blocks in order, lengths stored once, what is written")
  func layoutRoundTrip() throws {
    let map = CacheMap(
      views: [
        CacheMap.view("thinker", [("thinker_prefix", 30), ("input_t", 7), ("thinker_output", 12)]),
        CacheMap.view("writer", [("writer_prefix", 41), ("input_w", 7), ("thinker_output", 12), ("writer_output", 3)]),
      ], writing: ["thinker_output", "writer_output"])
    let events = sampleEvents + [TimedEvent(t: 3.5, event: .layout(map))]
    let t = try Transcript.load(path: try record(events))
    #expect(t.events == events)
    let line = TranscriptEvent.line(TranscriptEvent.encode(events.last!))
    #expect(line.contains(#""thinker_output":12"#) && line.contains(#""type":"layout""#))
  }

  @Test("a 1.1 recording (no layout events) still reads, and replays without a map")
  func olderVersionReads() throws {
    let text = """
      {"type":"header","format":"asyncvoice-transcript","version":"1.1","kind":"recording"}
      {"t":0.5,"type":"word","text":"hi"}
      {"t":0.9,"type":"hold","value":"24","dropped":2}

      """
    let t = try Transcript.parse(data: Data(text.utf8), name: "old.jsonl")
    #expect(t.events.count == 2)
    #expect(!t.events.contains { if case .layout = $0.event { true } else { false } })
  }

  @Test("a file cut at any byte replays up to its last full line")
  func cutAtAnyByte() throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: try record(sampleEvents)))
    let headerEnd = data.firstIndex(of: UInt8(ascii: "\n"))! + 1
    for cut in headerEnd...data.count {
      let part = data.prefix(cut)
      let t = try Transcript.parse(data: Data(part), name: "cut", lenient: true)
      // complete lines: those ending in a newline, plus a last line that is already whole JSON
      let lines = String(decoding: part, as: UTF8.self).components(separatedBy: "\n").dropFirst()
      let whole = lines.filter { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil }.count
      #expect(t.events == Array(sampleEvents.prefix(whole)), "cut at \(cut)")
    }
  }

  @Test("fuzzed lines never crash the parser")
  func fuzz() throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: try record(sampleEvents)))
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<2000 {
      var b = [UInt8](data)
      for _ in 0..<3 { b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
      _ = try? Transcript.parse(data: Data(b), name: "fuzz", lenient: Bool.random())
      _ = Transcript.parseCollecting(data: Data(b), name: "fuzz")
    }
  }

  @Test(
    "each kind of bad line gets its message",
    arguments: [
      ("{\"t\":1,\"type\":\"word\"}", "word event needs a string \"text\""),
      ("{\"type\":\"word\",\"text\":\"a\"}", "missing \"t\""),
      ("{\"t\":-1,\"type\":\"word\",\"text\":\"a\"}", "\"t\" must be a number"),
      ("{\"t\":true,\"type\":\"word\",\"text\":\"a\"}", "\"t\" must be a number"),
      ("{\"t\":1,\"text\":\"a\"}", "missing \"type\""),
      ("not json", "not a JSON object"),
      ("{\"t\":1,\"type\":\"token\",\"stream\":\"x\",\"text\":\"a\"}", "unknown stream \"x\""),
      ("{\"t\":1,\"type\":\"mode\",\"mode\":\"dancing\"}", "unknown mode \"dancing\""),
      ("{\"t\":1,\"type\":\"probe\",\"p_yes\":0.5,\"p_no\":0.1}", "boolean \"yes\""),
      ("{\"t\":0.1,\"type\":\"word\",\"text\":\"a\"}", "goes backwards"),
      (
        "{\"t\":1,\"type\":\"layout\",\"blocks\":{\"a\":1},\"views\":[{\"name\":\"thinker\",\"blocks\":[\"a\",\"b\"]}]}",
        "names block \"b\", not in \"blocks\""
      ),
      ("{\"t\":1,\"type\":\"layout\",\"blocks\":{\"a\":-1},\"views\":[]}", "block \"a\" needs a whole length"),
    ])
  func badLines(line: String, message: String) throws {
    let text =
      "{\"type\":\"header\",\"format\":\"asyncvoice-transcript\",\"version\":\"1.0\"}\n{\"t\":0.5,\"type\":\"word\",\"text\":\"ok\"}\n\(line)\n"
    let problems = Transcript.validateData(Data(text.utf8), name: "f.jsonl")
    #expect(problems.count == 1)
    #expect(problems.first?.hasPrefix("f.jsonl:3: ") == true)
    #expect(problems.first?.contains(message) == true, "\(problems)")
  }

  @Test func headerProblems() {
    #expect(Transcript.validateData(Data(), name: "e").first?.contains("empty file") == true)
    #expect(
      Transcript.validateData(
        Data("{\"type\":\"header\",\"format\":\"asyncvoice-transcript\",\"version\":\"2.0\"}\n".utf8), name: "v"
      ).first?.contains("version 2.0 is not supported") == true)
    #expect(Transcript.validateData(Data("{\"a\":1}\n".utf8), name: "h").first?.contains("expected a header") == true)
    let unknown =
      "{\"type\":\"header\",\"format\":\"asyncvoice-transcript\",\"version\":\"1.3\"}\n{\"t\":1,\"type\":\"sparkle\"}\n"
    let t = try? Transcript.parse(data: Data(unknown.utf8), name: "u")
    #expect(t?.warnings.first?.contains("unknown event type \"sparkle\" skipped") == true)
  }

  @Test("every committed scenario and recording is valid")
  func committedFilesValid() throws {
    var files: [String] = []
    for dir in ["Transcripts/scenarios", "Transcripts/recordings"] {
      let d = root.appendingPathComponent(dir).path
      for f in (try? FileManager.default.contentsOfDirectory(atPath: d)) ?? [] where f.hasSuffix(".jsonl") {
        files.append(d + "/" + f)
      }
    }
    #expect(files.count >= 45)
    for f in files { #expect(Transcript.validate(path: f) == [], "\(f)") }
    let scenarios = files.filter { $0.contains("/scenarios/") }
    #expect(scenarios.count >= 40)
    for f in scenarios { #expect(try Transcript.load(path: f).expected != nil, "\(f)") }
  }
}

@Suite struct EvaluationTests {
  func result(_ id: String, _ mode: PolicyOptions.Strategy, ttfw: Double, delay: Double, ok: Bool, thoughts: Int) -> RunResult {
    RunResult(
      id: id, mode: mode, events: [], answer: "", correct: ok,
      metrics: DelayMetrics(timeToFirstWord: ttfw, totalDelay: delay, adjustedDelay: max(0, delay - 1), pauses: 0),
      thinkerTokens: thoughts, steps: 10, probes: 1, computeSeconds: 1, simulatedSeconds: 4, blockedTokens: 0)
  }

  @Test("eval table over two scenarios in three modes")
  func table() {
    let rs = [
      result("a", .async, ttfw: 1, delay: 2, ok: true, thoughts: 40),
      result("b", .async, ttfw: 2, delay: 2, ok: false, thoughts: 60),
      result("a", .think, ttfw: 10, delay: 10, ok: true, thoughts: 100),
      result("b", .think, ttfw: 10, delay: 10, ok: true, thoughts: 100),
      result("a", .nothink, ttfw: 0.5, delay: 0.5, ok: false, thoughts: 0),
      result("b", .nothink, ttfw: 0.5, delay: 0.5, ok: false, thoughts: 0),
    ]
    let t = EvaluationTable(results: rs)
    #expect(t.rows.map(\.mode) == [.async, .think, .nothink])
    #expect(t.rows[0].accuracy == 0.5)
    #expect(t.rows[0].meanTTFW == 1.5)
    #expect(t.rows[0].p90TTFW == 2)
    #expect(t.rows[1].totalDelay == 10)
    let md = t.render(markdown: true)
    #expect(md.contains("| async | 2 | 0.50 | [0.09, 0.91] | 1.50 | 2.00 | 2.00 | 1.00 | 50 | 0.25 |"))
    #expect(md.contains("async vs think: total delay 5.0× less, accuracy -50 points"))
    #expect(md.contains("async vs nothink: total delay 4.0× more, accuracy +50 points"))
  }
}

@Suite struct ReplayTimelineTests {
  let events: [TimedEvent] = [0.0, 1.0, 1.5, 30.0, 31.0].map { TimedEvent(t: $0, event: .heard("w")) }

  @Test("events come out at their recorded times, scaled by speed, gaps capped")
  func timing() {
    var tl = ReplayTimeline(events: events, maxGap: 3)
    #expect(tl.times == [0, 1, 1.5, 4.5, 5.5])
    tl.advance(wall: 0.99)
    #expect(tl.released == 1)
    tl.advance(wall: 0.02)
    #expect(tl.released == 2)
    tl.speed = 2
    tl.advance(wall: 1.5)  // 1.01 + 3.0 = 4.01
    #expect(tl.released == 3)
    tl.paused = true
    tl.advance(wall: 100)
    #expect(tl.released == 3)
    tl.step()
    #expect(tl.released == 4)
    #expect(!tl.finished)
    tl.paused = false
    tl.advance(wall: 0.5)
    #expect(tl.finished)
    #expect(tl.end == 5.5)
  }

  @Test func jumps() {
    var tl = ReplayTimeline(events: events, maxGap: 100)
    tl.jump(forward: true) { $0 == 3 }
    #expect(tl.position == 30)
    tl.jump(forward: false) { $0 == 1 }
    #expect(tl.position == 1)
  }
}

@Suite struct ReplaySeekTests {
  let events: [TimedEvent] = [0.0, 1.0, 1.5, 30.0, 31.0].map { TimedEvent(t: $0, event: .heard("w\($0)")) }

  @Test("seeks clamp to [0, end]; digits are tenths of the length")
  func targets() {
    var tl = ReplayTimeline(events: events, maxGap: 3)  // times 0 1 1.5 4.5 5.5
    tl.seek(.by(5))
    #expect(tl.position == 5)
    tl.seek(.by(5))
    #expect(tl.position == 5.5)
    tl.seek(.by(-5))
    #expect(abs(tl.position - 0.5) < 1e-9)
    tl.seek(.by(-5))
    #expect(tl.position == 0)
    tl.seek(.fraction(0.9))
    #expect(abs(tl.position - 4.95) < 1e-9)
    tl.seek(.start)
    #expect(tl.position == 0)
    tl.seek(.end)
    #expect(tl.finished)
    #expect(tl.positionLabel == "5.5/5.5 s")
    tl.position = 100
    tl.seek(.by(-5))
    #expect(abs(tl.position - 0.5) < 1e-9)
  }

  @Test("the fold at t sees exactly the events released by t, at replay times")
  func fold() {
    let tl = ReplayTimeline(events: events, maxGap: 3)
    let seen = tl.fold(events, upTo: 4.5, into: [Double]()) { s, e in s.append(e.t) }
    #expect(seen == [0, 1, 1.5, 4.5])
    #expect(tl.fold(events, upTo: 0.99, into: 0) { n, _ in n += 1 } == 1)
    #expect(tl.fold(events, upTo: 99, into: 0) { n, _ in n += 1 } == 5)
  }
}
