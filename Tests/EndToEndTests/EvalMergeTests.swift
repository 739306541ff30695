import Foundation
import Testing

/// `asyncvoice eval-merge` on two shard files, through the built binary (no model needed).
@Suite struct EvalMergeTests {
  func row(_ id: String, _ mode: String, _ ok: Bool, _ tag: String) -> [String: Any] {
    [
      "id": id, "mode": mode, "answer": ok ? "right" : "wrong", "correct": ok, "tags": [tag], "repeat": 0,
      "thinker_tokens": 10, "steps": 20, "probes": 1, "compute_seconds": 1.0, "simulated_seconds": 4.0,
      "real_time_factor": 0.25, "total_delay": 2.0, "adjusted_delay": 1.0, "pauses": 0, "blocked_tokens": 0,
      "time_to_first_word": 1.0,
    ]
  }

  func write(_ rows: [[String: Any]]) throws -> String {
    let p = FileManager.default.temporaryDirectory.appendingPathComponent("avmerge-\(UUID().uuidString).json").path
    try JSONSerialization.data(withJSONObject: rows).write(to: URL(fileURLWithPath: p))
    return p
  }

  @Test("two shards merge into one table with intervals and the paired test")
  func mergeTwoShards() throws {
    guard let bin = TmuxTests.binary() else {
      Issue.record("build first: swift build -c release")
      return
    }
    let a = try write([row("s0", "async", true, "word-problem"), row("s0", "nothink", false, "word-problem")])
    let b = try write([row("s1", "async", true, "safety"), row("s1", "nothink", false, "safety")])
    defer { unlink(a); unlink(b) }
    let out = TmuxTests.sh([bin, "eval-merge", a, b, "--markdown"])
    #expect(out.contains("| async | 2 | 1.00 | [0.34, 1.00] |"), "\(out)")
    #expect(out.contains("| word-problem | 1/1 1.00 [0.21, 1.00] | 0/1 0.00 [0.00, 0.79] |"), "\(out)")
    #expect(out.contains("| all | 2/0 p=0.5 |"), "\(out)")
  }

  @Test("--recheck scores each answer again with today's checker against the scenario of its id")
  func recheckScoresAgain() throws {
    guard let bin = TmuxTests.binary() else {
      Issue.record("build first: swift build -c release")
      return
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("avrecheck-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let header =
      #"{"type":"header","format":"asyncvoice-transcript","version":"1.0","kind":"scenario","id":"s0","expected":{"kind":"number","value":"75"}}"#
    let words = #"{"t":0.5,"type":"word","text":"Hi"}"# + "\n" + #"{"t":1.0,"type":"end_of_utterance"}"#
    try (header + "\n" + words + "\n").write(
      toFile: dir + "/s0.jsonl", atomically: true, encoding: .utf8)
    var right = row("s0", "async", false, "word-problem")  // scored wrong by an older checker
    right["answer"] = "She spends 15 dollars on shoes, leaving her with 75 dollars."
    var wrong = row("s0", "nothink", true, "word-problem")
    wrong["answer"] = "She has 15 dollars left."
    let f = try write([right, wrong])
    defer { unlink(f) }
    let out = TmuxTests.sh([bin, "eval-merge", f, "--recheck", dir, "--markdown"])
    #expect(out.contains("| async | 1 | 1.00 |"), "\(out)")
    #expect(out.contains("| nothink | 1 | 0.00 |"), "\(out)")
    // a missing scenario: an error (on stderr), no table
    let missing = TmuxTests.sh([bin, "eval-merge", f, "--recheck", "/nonexistent"])
    #expect(!missing.contains("| async |"), "\(missing)")
  }
  @Test("eval --json rows name the model and kernels; --resume of another model's file is refused")
  func rowsNameTheirEngine() throws {
    guard let bin = TmuxTests.binary() else {
      Issue.record("build first: swift build -c release")
      return
    }
    let model = TmuxTests.root.appendingPathComponent("Assets/SmolLM2-135M-Instruct.Q4_1.gguf").path
    guard FileManager.default.fileExists(atPath: model) else { return }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("aveval-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.copyItem(
      atPath: TmuxTests.root.appendingPathComponent("Transcripts/scenarios/arith-times.jsonl").path,
      toPath: dir + "/arith-times.jsonl")
    let f = dir + "/out.json"
    let common = [
      bin, "eval", dir, "--model", model, "--virtual-time", "--clock-costs", "default", "--modes", "nothink", "--json", f,
    ]
    TmuxTests.sh(common)
    let rows = try #require(
      JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: f))) as? [[String: Any]])
    #expect(rows.count == 1)
    #expect(rows.first?["model"] as? String == "SmolLM2-135M-Instruct.Q4_1.gguf")
    #expect(["scalar", "avx2", "avxvnni", "avx512vnni"].contains(rows.first?["kernels"] as? String ?? ""), "\(rows)")
    // The same file as another model's: continuing it would mix two models in one table.
    var other = rows[0]
    other["model"] = "other.gguf"
    try JSONSerialization.data(withJSONObject: [other]).write(to: URL(fileURLWithPath: f))
    let quoted = (common + ["--resume"]).map { "'\($0)'" }.joined(separator: " ")
    let out = TmuxTests.sh(["/bin/sh", "-c", quoted + " 2>&1; echo exit=$?"])
    #expect(out.contains("holds runs of other.gguf, not SmolLM2-135M-Instruct.Q4_1.gguf"), "\(out)")
    #expect(out.contains("exit=1"), "\(out)")
  }
}
