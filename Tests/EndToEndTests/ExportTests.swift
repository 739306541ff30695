import Foundation
import Testing

/// `asyncvoice export` of a shipped recording: asciicast v3 (relative times, markers) and the
/// spoken answer as WAV, each read back and checked against the recording.
@Suite(.serialized) struct ExportTests {
  static let recording = TmuxTests.root.appendingPathComponent("Transcripts/recordings/demo-interject-shorter.jsonl").path

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
}
