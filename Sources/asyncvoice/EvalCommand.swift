import ArgumentParser
import Foundation
import Kernels
import Reasoning
import Session

nonisolated(unsafe) private var evalInterrupted = false

struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval", abstract: "Compare async reasoning with think-then-answer and no-thinking on a scenario folder.",
    discussion: """
      Every accuracy comes with a Wilson 95 % interval; each pair of modes gets an exact McNemar test on the \
      same runs, overall and per tag. For a cluster, run `eval --shard K/N --json shard-K.json` as an array job \
      (K = 0…N-1) and join the files with `asyncvoice eval-merge shard-*.json`; with --virtual-time give every \
      shard the same --clock-costs (one measured run prints them) so that all shards charge alike.
      """)

  @Argument(help: "Scenario folder.") var dir = "Transcripts/scenarios"
  @Option(help: "Comma-separated modes.") var modes = "async,think,nothink"
  @Flag(help: "Virtual time (as fast as the CPU allows, times as if live).") var virtualTime = false
  @Option(help: "Write per-run rows as JSON here (input of eval-merge); rewritten after every run, so a killed eval keeps them.")
  var json: String?
  @Flag(
    help:
      "Continue the --json file of an interrupted eval with the same options: its runs are kept, not redone (with --virtual-time give --clock-costs, so both parts charge alike)."
  )
  var resume = false
  @Flag(help: "Print the table as Markdown.") var markdown = false
  @Option(help: "Only the first N scenarios (after --tags).") var limit: Int?
  @Option(help: "Only scenarios with any of these comma-separated tags (e.g. word-problem,correction).") var tags: String?
  @Option(
    name: .customLong("repeat"),
    help: "Runs per scenario and mode: the first with the scenario's word times, the others jittered ±15 % (seeded).")
  var repeats = 1
  @Option(help: "Run shard K of N (0 ≤ K < N): scenario i when i mod N == K.") var shard: String?
  @Option(
    help:
      "Virtual clock costs STEP_S,EXTRA_ROW_FACTOR,PREFILL_S_PER_TOKEN, or 'default' (the 0.5B's); without it, --virtual-time measures the model at load."
  )
  var clockCosts: String?
  @OptionGroup var engine: EngineOptions

  func validate() throws {
    try OptionRanges.check("--limit", limit)
    if let j = json { checkOutputPath(j, option: "--json") }
    if resume && json == nil { throw ValidationError("--resume needs --json FILE: the file of the eval to continue") }
    try OptionRanges.check("--repeat", repeats)
    if let s = shard { do { _ = try EvaluationShard(parsing: s) } catch { throw ValidationError("\(error)") } }
    try OptionRanges.checkClockCosts(clockCosts)
  }

  func run() throws {
    let folder = Defaults.resolve(dir)
    let files = scenarioFiles(in: folder)
    guard !files.isEmpty else { fail("no scenarios (*.jsonl) in \(folder)") }
    let strategies = try modes.split(separator: ",").map { m -> PolicyOptions.Strategy in
      guard let s = PolicyOptions.Strategy(rawValue: String(m)) else {
        throw ValidationError("unknown mode '\(m)' (async, think, nothink)")
      }
      return s
    }
    var scenarios = files.map { loadScenario(folder + "/" + $0) }
    if let t = tags {
      let wanted = Set(t.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
      scenarios = scenarios.filter { !wanted.isDisjoint(with: $0.tags) }
      guard !scenarios.isEmpty else { fail("no scenario in \(folder) has any of the tags \(t)") }
    }
    scenarios = Array(scenarios.prefix(limit ?? scenarios.count))
    let part = try shard.map(EvaluationShard.init(parsing:)) ?? .all
    scenarios = part.select(scenarios)
    guard !scenarios.isEmpty else { fail("shard \(part.index)/\(part.count) has no scenarios") }
    let durations = engine.speechDurations()
    let e = engine.loadEngine()
    signal(SIGINT) { _ in evalInterrupted = true }
    let t0 = Date()
    var evaluation = EvaluationRun(scenarios: scenarios, strategies: strategies, virtualTime: virtualTime, repeats: repeats) {
      s, clock in
      engine.session(e, s, clock: clock, durations: durations)
    }
    if virtualTime {
      let costs = try clockCosts.map(ClockCosts.parse) ?? ClockCalibration.measure(e)
      FileHandle.standardError.write(
        "virtual clock (\(clockCosts == nil ? "measured" : "given")): \(costs.description)\n".data(using: .utf8)!)
      evaluation.makeVirtualClock = costs.makeClock
    }
    let planned = evaluation.plannedKeys
    let rank = Dictionary(planned.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    /// The runs in the evaluation's order (the JSON and the table read alike however they were made).
    func ordered(_ runs: [RunResult]) -> [RunResult] { runs.sorted { (rank[$0.key] ?? .max) < (rank[$1.key] ?? .max) } }
    let (modelName, kernels) = ((engine.model as NSString).lastPathComponent, KernelISA.current.name)
    let earlier = resume ? earlierRuns(planned: planned, model: modelName, kernels: kernels) : []
    var all = earlier
    let results = evaluation.run(
      skipping: Set(earlier.map(\.key)), shouldStop: { evalInterrupted },
      finished: { r in
        var r = r
        (r.model, r.kernels) = (modelName, kernels)
        all.append(r)
        if let j = json { checkpoint(ordered(all), to: j) }
      }
    ) { done, total, id, s in
      let bar = String(repeating: "█", count: done * 30 / total) + String(repeating: "░", count: 30 - done * 30 / total)
      FileHandle.standardError.write(
        String(format: "\r%@ %d/%d  %.0f s  %@ %@   ", bar, done, total, Date().timeIntervalSince(t0), id, s.rawValue).data(
          using: .utf8)!)
    }
    FileHandle.standardError.write("\n".data(using: .utf8)!)
    if evalInterrupted {
      FileHandle.standardError.write("interrupted: table of the \(all.count) finished runs\n".data(using: .utf8)!)
    }
    engine.reportDurationFailures(durations)
    let runs = ordered(all)
    print(EvaluationTable(results: runs).render(markdown: markdown), terminator: "")
    if let j = json { try OutputFile.replace(Self.jsonData(runs), at: j) }
    if !earlier.isEmpty || results.count < planned.count {
      FileHandle.standardError.write(
        "\(earlier.count) runs from \(json ?? "") kept, \(results.count) made, \(planned.count - all.count) not made\n"
          .data(using: .utf8)!)
    }
  }

  /// The runs already in the --json file, all of which this evaluation would make.
  private func earlierRuns(planned: [String], model: String, kernels: String) -> [RunResult] {
    guard let j = json, let data = FileManager.default.contents(atPath: j), !data.isEmpty else { return [] }
    let rows: [RunResult]
    do { rows = try EvaluationMerge.merge([(j, data)]) } catch { fail("--resume: \(error)") }
    let plan = Set(planned)
    if let stranger = rows.first(where: { !plan.contains($0.key) }) {
      fail(
        "--resume: \(j) has the run \(stranger.key), which this eval would not make: give the same folder, --modes, --tags, --limit, --shard and --repeat as the run it continues"
      )
    }
    if let other = rows.first(where: { $0.model != nil && $0.model != model }) {
      fail("--resume: \(j) holds runs of \(other.model!), not \(model): give the same --model as the run it continues")
    }
    if let other = rows.first(where: { $0.kernels != nil && $0.kernels != kernels }) {
      FileHandle.standardError.write(
        "warning: \(j) holds runs made with the \(other.kernels!) kernels, these are made with \(kernels) (--isa \(other.kernels!) keeps one set)\n"
          .data(using: .utf8)!)
    }
    FileHandle.standardError.write("resuming: \(rows.count) of \(planned.count) runs already in \(j)\n".data(using: .utf8)!)
    return rows
  }

  /// Rewrites the --json file with the runs so far; a failure (disk full) is reported and the
  /// eval goes on (the file keeps the last good write; the final write reports again).
  private func checkpoint(_ runs: [RunResult], to path: String) {
    do { try OutputFile.replace(Self.jsonData(runs), at: path) } catch {
      FileHandle.standardError.write("\nwarning: \(error)\n".data(using: .utf8)!)
    }
  }

  private static func jsonData(_ runs: [RunResult]) throws -> Data {
    try JSONSerialization.data(withJSONObject: runs.map(\.json), options: [.prettyPrinted, .sortedKeys])
  }
}
