import Foundation
import Testing

/// Output files from the built binary: a device is never replaced, a failed write (file size
/// limit) is reported with a non-zero exit and what was written is kept.
@Suite struct OutputTests {
  static let small = TmuxTests.root.appendingPathComponent("Assets/SmolLM2-135M-Instruct.Q4_1.gguf").path

  static func firstRecording() throws -> String {
    let dir = TmuxTests.root.appendingPathComponent("Transcripts/recordings").path
    let name = try #require(
      try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".jsonl") }.sorted().first)
    return dir + "/" + name
  }

  static func temp(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("avout-\(UUID().uuidString)-\(name)").path
  }

  static func size(_ path: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1 }

  @Test("export past the file size limit: reported, exit 1, the written part kept")
  func exportFileSizeLimit() throws {
    let option = "--cast"  // (the captions of the shipped recordings are smaller than the limit)
    let bin = try #require(TmuxTests.binary())
    let out = Self.temp("x.out")
    // bash counts `ulimit -f` in 1024-byte blocks
    let r = try OptionTests.run(
      ["/bin/bash", "-c", "ulimit -f 1; exec '\(bin)' export '\(try Self.firstRecording())' \(option) '\(out)'"], shell: true)
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stderr.contains("\(out): write failed: File too large (what was written before is kept)"), "\(r.stderr)")
    #expect(Self.size(out) == 1024)
  }

  @Test("a virtual run's recording says which clock costs charged it, in full precision")
  func recordingNamesItsClock() throws {
    let out = Self.temp("clock.jsonl")
    defer { unlink(out) }
    let r = try OptionTests.run(
      [
        "run", "Transcripts/scenarios/arith-times.jsonl", "--virtual-time", "--clock-costs", "0.0271,0.4,0.00925",
        "--quiet", "--answer-budget", "8", "--model", Self.small, "--record", out,
      ], timeout: 300)
    #expect(r.status == 0, "\(r.stderr)")
    let first = try #require(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").first)
    let header = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
    let clock = try #require(header["clock"] as? [String: Any])
    #expect(clock["kind"] as? String == "virtual")
    #expect(clock["step_seconds"] as? Double == 0.0271)
    #expect(clock["extra_row_factor"] as? Double == 0.4)
    #expect(clock["prefill_seconds_per_token"] as? Double == 0.00925)
  }

  @Test("--record and --cast never replace a device")
  func devicesStay() throws {
    let rec = try OptionTests.run([
      "run", "Transcripts/scenarios/arith-times.jsonl", "--model", Self.small, "--record", "/dev/null",
    ])
    #expect(rec.status == 2 && rec.stderr.contains("--record /dev/null: is a character device"), "\(rec.stderr)")
    let cast = try OptionTests.run(["export", try Self.firstRecording(), "--cast", "/dev/null"])
    #expect(cast.status == 2 && cast.stderr.contains("--cast /dev/null: is a character device"), "\(cast.stderr)")
    let demo = try OptionTests.run(["demo", "arith-times", "--model", Self.small, "--record", "/dev/null"])
    #expect(demo.status == 2 && demo.stderr.contains("--record /dev/null: is a character device"), "\(demo.stderr)")
    var st = stat()
    #expect(stat("/dev/null", &st) == 0 && st.st_mode & S_IFMT == S_IFCHR)
  }

  @Test("a recording past the file size limit stops with a message and exit 1; its lines replay")
  func recordFileSizeLimit() throws {
    let bin = try #require(TmuxTests.binary())
    let out = Self.temp("rec.jsonl")
    let cmd =
      "ulimit -f 2; exec '\(bin)' run Transcripts/scenarios/arith-times.jsonl --virtual-time --quiet --answer-budget 24 --model '\(Self.small)' --record '\(out)'"
    let r = try OptionTests.run(["/bin/bash", "-c", cmd], timeout: 300, shell: true)
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stderr.contains("--record: recording stopped early: \(out): write failed: File too large"), "\(r.stderr)")
    #expect(Self.size(out) == 2048)
    let replay = try OptionTests.run(["replay", out, "--headless", "--speed", "1000"])
    #expect(replay.status == 0 && replay.stdout.contains("[heard]"), "\(replay.stderr)")
  }

  @Test("20 recordings killed with SIGKILL at seeded moments replay to their last full line")
  func killedRecordingsReplay() throws {
    let bin = try #require(TmuxTests.binary())
    var seed: UInt64 = 7
    var killed = 0  // runs killed while recording (a run that ended first does not count)
    for k in 0..<60 where killed < 20 {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let delay = Double(seed >> 40) / Double(1 << 24) * 1.0  // 0…1 s after the header is written
      let out = Self.temp("killed-\(k).jsonl")
      let p = Process()
      p.executableURL = URL(fileURLWithPath: bin)
      p.arguments = [
        "run", "Transcripts/scenarios/interject-24.jsonl", "--virtual-time", "--quiet", "--model", Self.small, "--record", out,
      ]
      p.currentDirectoryURL = TmuxTests.root
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      try p.run()
      // the model loads first (seconds on a loaded machine): the moment counts from the header
      let deadline = Date().addingTimeInterval(60)
      while p.isRunning && Self.size(out) <= 0 && Date() < deadline { usleep(5_000) }
      usleep(useconds_t(delay * 1e6))
      kill(p.processIdentifier, SIGKILL)
      p.waitUntilExit()
      guard p.terminationReason == .uncaughtSignal else { continue }
      killed += 1
      let data = try #require(FileManager.default.contents(atPath: out), "run \(k): the header was written")
      let text = String(decoding: data, as: UTF8.self)
      var lines = text.components(separatedBy: "\n")
      lines.removeLast()  // the part after the last newline: empty or a cut line
      // (layout events are drawn as the cache map, not printed as lines)
      let events = lines.dropFirst().filter { !$0.contains("\"type\":\"metrics\"") && !$0.contains("\"type\":\"layout\"") }
      #expect(
        lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil }, "run \(k): every full line is JSON")
      guard !lines.isEmpty else { continue }
      let r = try OptionTests.run(["replay", out, "--headless", "--speed", "1000", "--max-gap", "0.001"], timeout: 60)
      #expect(r.status == 0, "run \(k) killed \(delay) s after its header: \(r.stderr)")
      // one printed line per event, each starting with its time ("   1.25 [heard] …")
      let printed = r.stdout.split(separator: "\n").filter {
        $0.range(of: #"^ *[0-9]+\.[0-9]{2} \["#, options: .regularExpression) != nil
      }
      #expect(printed.count == events.count, "run \(k): \(events.count) events recorded")
    }
    #expect(killed == 20)
  }
}
