import Foundation
import Testing

/// `asyncvoice export` of a shipped recording: asciicast v3 (relative times, markers) and the
/// spoken answer as WAV, each read back and checked against the recording.
@Suite(.serialized) struct ExportTests {
  static let recording = TmuxTests.root.appendingPathComponent(
    "Tests/EndToEndTests/Fixtures/recording-0.5b-interject-shorter.jsonl"
  ).path
  static let espeakAvailable = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    .contains { FileManager.default.isExecutableFile(atPath: "\($0)/espeak-ng") }

  /// Runs the binary; returns (status, stdout, stderr).
  static func run(_ args: [String], path: String? = nil) throws -> (Int32, String, String) {
    let bin = try #require(TmuxTests.binary(), "build first: swift build -c release")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: bin)
    p.arguments = args
    if let path { p.environment = ProcessInfo.processInfo.environment.merging(["PATH": path]) { $1 } }
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
  }

  static func temp(_ ext: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("avexport-\(getpid())-\(UUID().uuidString).\(ext)").path
  }

  /// The recording's events as (t, type) pairs.
  static func recordedEvents() throws -> [(t: Double, type: String)] {
    let text = try String(contentsOfFile: recording, encoding: .utf8)
    return text.split(separator: "\n").dropFirst().compactMap { line in
      guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let t = o["t"] as? Double ?? (o["t"] as? Int).map(Double.init), let type = o["type"] as? String
      else { return nil }
      return (t, type)
    }
  }

  @Test("asciicast v3: header, relative non-negative intervals summing to the absolute times, markers")
  func castV3() throws {
    let out = Self.temp("cast")
    defer { unlink(out) }
    let (status, _, err) = try Self.run(["export", Self.recording, "--cast", out, "--size", "100x30", "--fps", "10"])
    #expect(status == 0, "\(err)")
    let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
    let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    #expect(header["version"] as? Int == 3)
    let term = try #require(header["term"] as? [String: Any])
    #expect(term["cols"] as? Int == 100 && term["rows"] as? Int == 30)
    var clock = 0.0
    var outputs: [Double] = []
    var markers: [(Double, String)] = []
    for l in lines.dropFirst() {
      let e = try #require(try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [Any])
      try #require(e.count == 3)
      let dt = try #require((e[0] as? NSNumber)?.doubleValue)
      #expect(dt >= 0 && dt.isFinite, "interval \(dt)")
      clock += dt
      let code = try #require(e[1] as? String)
      let data = try #require(e[2] as? String)
      switch code {
      case "o": outputs.append(clock)
      case "m": markers.append((clock, data))
      default: Issue.record("unexpected event code \(code)")
      }
    }
    // Frames are drawn every 1/10 s: their absolute times are multiples of 0.1 s.
    try #require(outputs.count > 10)
    #expect(outputs[0] == 0)
    for t in outputs { #expect(abs(t * 10 - (t * 10).rounded()) < 0.01, "frame at \(t) s") }
    let lastEvent = try Self.recordedEvents().last!.t
    #expect(outputs.last! <= lastEvent + 2 + 1e-3)
    // A marker at each probe, mode switch, interjection and turn, at the recorded time (1 ms).
    let expected = try Self.recordedEvents().filter { ["probe", "mode", "interjection", "turn"].contains($0.type) }
    #expect(expected.contains { $0.type == "interjection" } && expected.contains { $0.type == "probe" })
    try #require(markers.count == expected.count)
    for (m, e) in zip(markers, expected) {
      #expect(abs(m.0 - e.t) < 0.001, "\(m.1) at \(m.0), recorded at \(e.t)")
      #expect(m.1.hasPrefix(e.type == "turn" ? "turn" : e.type), "\(m.1) for a \(e.type) event")
    }

    // v2 stays behind --cast-version 2.
    let (s2, _, _) = try Self.run(["export", Self.recording, "--cast", out, "--cast-version", "2"])
    #expect(s2 == 0)
    let first = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")[0]
    let h2 = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
    #expect(h2["version"] as? Int == 2 && h2["width"] as? Int == 120)
  }

  /// Mono 16-bit PCM samples and rate of a WAV file.
  static func readWAV(_ path: String) throws -> (rate: Int, samples: [Int16]) {
    let b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    func u32(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 | Int(b[i + 3]) << 24 }
    func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    try #require(
      b.count >= 44 && String(decoding: b[0..<4], as: UTF8.self) == "RIFF" && String(decoding: b[8..<12], as: UTF8.self) == "WAVE"
    )
    #expect(u32(4) == b.count - 8, "RIFF size")
    var i = 12
    var rate = 0
    while i + 8 <= b.count {
      let id = String(decoding: b[i..<i + 4], as: UTF8.self)
      let size = u32(i + 4)
      if id == "fmt " {
        #expect(u16(i + 8) == 1 && u16(i + 10) == 1 && u16(i + 22) == 16, "PCM mono 16-bit")
        rate = u32(i + 12)
      } else if id == "data" {
        #expect(i + 8 + size == b.count, "data size")
        let s = stride(from: i + 8, to: i + 8 + size - 1, by: 2).map { Int16(bitPattern: UInt16(b[$0]) | UInt16(b[$0 + 1]) << 8) }
        return (rate, s)
      }
      i += 8 + size + (size & 1)
    }
    throw ExportError.noData
  }
  enum ExportError: Error { case noData }

  /// The assistant's cues of the WebVTT export: when the speech clock says each chunk is said.
  static func assistantCues(_ vtt: String) -> [(start: Double, end: Double)] {
    func secs(_ s: Substring) -> Double {
      let p = s.split(separator: ":").map { Double($0) ?? 0 }
      return p[0] * 3600 + p[1] * 60 + p[2]
    }
    let lines = vtt.components(separatedBy: "\n")
    return lines.indices.dropLast().compactMap { i in
      guard lines[i].contains(" --> "), lines[i + 1].hasPrefix("Assistant: ") else { return nil }
      let p = lines[i].components(separatedBy: " --> ")
      return (secs(Substring(p[0])), secs(Substring(p[1])))
    }.sorted { $0.start < $1.start }
  }

  @Test(
    "WAV: length and chunk onsets match the recording's speech clock within 50 ms",
    .enabled(if: espeakAvailable, "espeak-ng is not installed (apt-get install espeak-ng; scripts/setup.sh does)"))
  func wav() throws {
    let out = Self.temp("wav")
    let vtt = Self.temp("vtt")
    defer { unlink(out); unlink(vtt) }
    let (status, stdout, err) = try Self.run(["export", Self.recording, "--wav", out, "--vtt", vtt])
    #expect(status == 0, "\(stdout)\(err)")
    let (rate, s) = try Self.readWAV(out)
    #expect(rate == 22050)
    let cues = Self.assistantCues(try String(contentsOfFile: vtt, encoding: .utf8))
    try #require(cues.count >= 10)
    // Length: the recording's end or the end of its speech, whichever is later.
    let end = max(try Self.recordedEvents().last!.t, cues.map(\.end).max()!)
    let length = Double(s.count) / Double(rate)
    #expect(abs(length - end) < 0.05, "WAV is \(length) s, the recording's speech ends at \(end) s")
    // Sound in the 10 ms from t: a peak above 48 (-56 dBFS; the silence between chunks is 0).
    func loud(_ t: Double) -> Bool {
      let a = max(0, Int((t * Double(rate)).rounded()))
      let b = min(s.count, Int(((t + 0.01) * Double(rate)).rounded()))
      return a < b && s[a..<b].contains { abs(Int($0)) > 48 }
    }
    #expect(!stride(from: 0.0, to: cues[0].start - 0.05, by: 0.01).contains(where: loud), "silence before the first chunk")
    var onsets = 0
    for c in cues {
      // Each chunk's speech starts within 50 ms of its start on the speech clock…
      let first = stride(from: c.start - 0.01, through: c.start + 0.2, by: 0.01).first(where: loud)
      #expect(
        first.map { $0 - c.start <= 0.05 } == true, "chunk at \(c.start) s: first sound at \(first.map { "\($0)" } ?? "none")")
      // …and where silence comes before it, that is an onset found by energy after silence.
      let before = stride(from: c.start - 0.1, to: c.start - 0.015, by: 0.01)
      if c.start > 0.1 && !before.contains(where: loud) { onsets += 1 }
    }
    #expect(onsets >= cues.count / 2, "\(onsets) of \(cues.count) chunks start after silence")
  }

  @Test("WAV without espeak-ng: a clear error and exit status 1")
  func wavWithoutEspeak() throws {
    let out = Self.temp("wav")
    defer { unlink(out) }
    let (status, _, err) = try Self.run(["export", Self.recording, "--wav", out], path: "/nonexistent")
    #expect(status == 1)
    #expect(err.contains("espeak-ng not found"), "\(err)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }
}
