import Foundation
import Kernels
import Reasoning
import Session
import Testing
import Transformer

/// The safety net of refactors: shipped scenarios run in virtual time on the small model, in the
/// three modes, and every event (the transcript's own encoding) plus a summary line is compared
/// byte for byte with a committed log in `Goldens/`.
///
/// A behaviour change that is meant: regenerate with `scripts/update-golden-logs.sh` (it runs this
/// suite with `AV_UPDATE_GOLDENS=1`, which writes the logs instead of comparing), read the diff,
/// and say why in the commit.
///
/// The kernels of each instruction set round differently in the last bits (the sums run in another
/// order), and a greedy run follows the first token that differs: the logs are per set, in
/// `Goldens/<isa>/` (the set the kernels use, `KernelISA.current`, or `AV_GOLDEN_ISA`: see
/// `goldenISA`). A machine whose set has no logs yet skips the suite with a note;
/// `scripts/update-golden-logs.sh` writes them, for every set this CPU runs that has logs.
@Suite(.serialized, .enabled(if: goldensForThisCPU, "no golden logs for this CPU's kernels: run scripts/update-golden-logs.sh"))
struct GoldenLogTests {
  /// Its own engine: a `Model` is used by one thread at a time, and other suites may run at the
  /// same time on theirs.
  nonisolated(unsafe) static var cached: Engine?
  static func engine() throws -> Engine {
    if let e = cached { return e }
    let e = try Model135.load()
    cached = e
    return e
  }

  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let goldens = goldensFolder

  static var updating: Bool { ProcessInfo.processInfo.environment["AV_UPDATE_GOLDENS"] == "1" }

  /// (scenario, mode): a plain question, an interjection, corrections inside the question, a
  /// follow-up turn, a fact and a unit, across the three modes; short runs (~12 s of CPU in all).
  static let cases: [(String, PolicyOptions.Strategy)] = [
    ("arith-times", .async), ("arith-times", .think), ("arith-times", .nothink),
    ("interject-24", .async), ("interject-24", .think), ("interject-24", .nothink),
    ("correct-city", .async), ("correct-midsentence", .async), ("turns-followup", .async),
    ("fact-capital-fr", .think), ("unit-cm", .nothink),
  ]

  /// The log of one run: every event as a transcript line, then a summary of the result (without
  /// the wall-clock fields).
  static func log(scenario: String, mode: PolicyOptions.Strategy) throws -> String {
    let e = try engine()
    let sc = try Transcript.load(path: root.appendingPathComponent("Transcripts/scenarios/\(scenario).jsonl").path)
    var options = PolicyOptions()
    options.strategy = mode
    let prompts = PromptSet.forModel(hasThinkToken: e.tokenizer.special["<think>"] != nil)
    let session = ReasoningSession(engine: e, prompts: prompts, options: options, clock: VirtualClock())
    let runner = ScenarioRunner(session: session)
    runner.run(sc.userEvents)
    let r = runner.result(id: sc.id, mode: mode, expected: sc.expected)
    var lines = r.events.map { TranscriptEvent.line(TranscriptEvent.encode($0)) }
    var summary = r.json
    for wall in ["compute_seconds", "real_time_factor"] { summary[wall] = nil }
    summary["type"] = "result"
    lines.append(TranscriptEvent.line(summary))
    return lines.joined(separator: "\n") + "\n"
  }

  @Test("golden event logs in virtual time", arguments: cases.map { "\($0.0).\($0.1.rawValue)" })
  func goldenLog(_ name: String) throws {
    let parts = name.split(separator: ".")
    let mode = try #require(PolicyOptions.Strategy(rawValue: String(parts[1])))
    let got = try Self.log(scenario: String(parts[0]), mode: mode)
    let file = Self.goldens.appendingPathComponent("\(name).jsonl")
    if Self.updating {
      try FileManager.default.createDirectory(at: Self.goldens, withIntermediateDirectories: true)
      try Data(got.utf8).write(to: file)
      return
    }
    // A case without a log for this CPU's kernels (a change made on a machine with another set
    // could not write it) is a known issue, named, until someone on such a CPU runs the script.
    guard let want = try? String(contentsOf: file, encoding: .utf8) else {
      withKnownIssue("no golden \(file.path) for this CPU yet: run scripts/update-golden-logs.sh on one") {
        Issue.record("no golden for \(name) on \(goldenISA.name)")
      }
      return
    }
    if got != want {
      let g = got.split(separator: "\n", omittingEmptySubsequences: false)
      let w = want.split(separator: "\n", omittingEmptySubsequences: false)
      let i = (0..<min(g.count, w.count)).first { g[$0] != w[$0] } ?? min(g.count, w.count)
      Issue.record(
        """
        \(name): line \(i + 1) differs from the golden (\(w.count) lines, got \(g.count))
          golden: \(i < w.count ? String(w[i]) : "(end)")
          got:    \(i < g.count ? String(g[i]) : "(end)")
        (an intended change: scripts/update-golden-logs.sh, then read the diff)
        """)
    }
  }
}

/// The kernels the logs are for: this CPU's best, or the set `AV_GOLDEN_ISA` names (one this CPU
/// runs), so that a CPU with AVX-512 VNNI writes and checks the AVX2 logs too
/// (`scripts/update-golden-logs.sh avx2`). The choice holds for the whole test process: give the
/// variable with `--filter GoldenLogTests`, as the script does.
let goldenISA: KernelISA = {
  guard let name = ProcessInfo.processInfo.environment["AV_GOLDEN_ISA"], !name.isEmpty else { return KernelISA.current }
  if let why = KernelISA.choose(name) { fatalError("AV_GOLDEN_ISA=\(name): \(why)") }
  return KernelISA.current
}()
/// The folder of the chosen kernels' logs (`Goldens/<isa>/`).
let goldensFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")
  .appendingPathComponent(goldenISA.name)
/// The suite runs where the chosen kernels have logs, or to write them.
let goldensForThisCPU =
  FileManager.default.fileExists(atPath: goldensFolder.path) || ProcessInfo.processInfo.environment["AV_UPDATE_GOLDENS"] == "1"
