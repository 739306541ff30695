import Foundation
import Testing

/// `--voice` and `--tts-timing` in the built binary: bad input fails cleanly before any model
/// loads; a live run with a stand-in espeak-ng says the recorded chunks in order; a run timed by
/// espeak-ng records espeak-ng's durations.
@Suite(.serialized) struct VoiceOptionTests {
  static let small = OutputTests.small
  /// A scenario whose answer SmolLM2 speaks in several chunks (6 on 2026-11-30) under every kernel
  /// path: the tests need at least 3 (live) and 2 (virtual time), and the model's words move
  /// whenever the kernels' float order does (arith-times fell to one chunk with packed weights).
  static let scenario = TmuxTests.root.appendingPathComponent("Transcripts/scenarios/pause-think.jsonl").path

  static func temp(_ ext: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("avvoice-\(getpid())-\(UUID().uuidString).\(ext)").path
  }

  @Test(
    "bad --tts-timing, --voice with --virtual-time, espeak timing without espeak-ng: one line saying what and where, non-zero exit",
    arguments: [
      (["run", "x.jsonl", "--tts-timing", "foo"], nil as String?, 2 as Int32, "--tts-timing"),
      (["eval", "--tts-timing", "words"], nil, 2, "'wpm' and 'espeak'"),
      (["run", "x.jsonl", "--voice", "--virtual-time"], nil, 2, "--voice needs live time"),
      (
        ["eval", "--tts-timing", "espeak", "--limit", "1"], "/nonexistent", 1, "--tts-timing espeak: espeak-ng not found on PATH"
      ),
    ])
  func badInput(args: [String], path: String?, status: Int32, message: String) throws {
    let (code, _, err) = try ExportTests.run(args, path: path)
    #expect(code == status, "\(args): exit \(code), \(err)")
    #expect(err.split(separator: "\n").count == 1 && err.contains(message), "\(args): \(err)")
  }

  /// A stand-in espeak-ng that logs what it is asked to say (and says nothing): a machine without
  /// a sound card can still check what `--voice` plays.
  static func fakeEspeak(log: String) throws -> String {
    let dir = temp("bin")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let script = "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '\(log)'\n"
    FileManager.default.createFile(
      atPath: dir + "/espeak-ng", contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
    return dir
  }

  @Test(
    "run --voice (live): the device probe, then each recorded chunk's words said in order at rate --wpm",
    .enabled(if: FileManager.default.fileExists(atPath: small), "run scripts/setup.sh --tests-only"))
  func voiceSaysTheChunks() throws {
    let log = Self.temp("log")
    let rec = Self.temp("jsonl")
    let bin = try Self.fakeEspeak(log: log)
    defer { unlink(log); unlink(rec); try? FileManager.default.removeItem(atPath: bin) }
    let (code, out, err) = try ExportTests.run(
      ["run", Self.scenario, "--voice", "--model", Self.small, "--wpm", "200", "--record", rec, "--quiet"],
      path: bin + ":/usr/bin:/bin")
    #expect(code == 0, "\(out)\(err)")
    #expect(!err.contains("--voice"), "no warning with a working espeak-ng: \(err)")
    let said = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(said.first == "-a 0 .", "the probe comes first: \(said)")
    let chunks = try String(contentsOfFile: rec, encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
      guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], o["type"] as? String == "spoken",
        let text = (o["text"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
      else { return nil }
      return "-s 200 -- " + text
    }
    try #require(chunks.count >= 3)
    // Each said once, in the recording's order (a chunk the voice fell a whole slot behind on is skipped).
    let plays = Array(said.dropFirst())
    #expect(plays.count >= chunks.count - 1 && plays.count <= chunks.count, "said \(plays), recorded \(chunks)")
    var rest = chunks[...]
    for p in plays {
      guard let i = rest.firstIndex(of: p) else { Issue.record("\(p) not in order in \(chunks)"); break }
      rest = rest[(i + 1)...]
    }
  }

  @Test(
    "run --tts-timing espeak --virtual-time records espeak-ng's durations (not words per minute) and says so in the header",
    .enabled(
      if: FileManager.default.fileExists(atPath: small) && ExportTests.espeakAvailable, "needs the small model and espeak-ng"))
  func espeakTimingRecorded() throws {
    let rec = Self.temp("jsonl")
    defer { unlink(rec) }
    let (code, out, err) = try ExportTests.run(
      ["run", Self.scenario, "--virtual-time", "--tts-timing", "espeak", "--model", Self.small, "--record", rec, "--quiet"])
    #expect(code == 0, "\(out)\(err)")
    let lines = try String(contentsOfFile: rec, encoding: .utf8).split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    #expect(lines.first?["tts_timing"] as? String == "espeak")
    let spoken = lines.filter { $0["type"] as? String == "spoken" }
    try #require(spoken.count >= 2)
    var differs = false
    for s in spoken {
      let text = try #require(s["text"] as? String)
      let d = try #require(s["duration"] as? Double)
      let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
      if abs(d - max(0.12, Double(max(words, 1)) * 60 / 170)) > 0.05 { differs = true }
      #expect(d >= 0 && d < 10, "\(text): \(d) s")
    }
    #expect(differs, "espeak-ng's durations are not the words-per-minute ones")
  }
}
