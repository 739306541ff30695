import ArgumentParser
import Foundation
import Reasoning
import Session

nonisolated(unsafe) private var evalInterrupted = false

struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval", abstract: "Compare async reasoning with think-then-answer and no-thinking on a scenario folder.")

  @Argument(help: "Scenario folder.") var dir = "Transcripts/scenarios"
  @Option(help: "Comma-separated modes.") var modes = "async,think,nothink"
  @Flag(help: "Virtual time (as fast as the CPU allows, times as if live).") var virtualTime = false
  @Option(help: "Write per-scenario rows as JSON here.") var json: String?
  @Flag(help: "Print the table as Markdown.") var markdown = false
  @Option(help: "Only the first N scenarios.") var limit: Int?
  @OptionGroup var engine: EngineOptions

  func run() throws {
    let folder = Defaults.resolve(dir)
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
    guard !files.isEmpty else { fail("no scenarios (*.jsonl) in \(folder)") }
    let strategies = try modes.split(separator: ",").map { m -> PolicyOptions.Strategy in
      guard let s = PolicyOptions.Strategy(rawValue: String(m)) else { throw ValidationError("unknown mode '\(m)' (async, think, nothink)") }
      return s
    }
    let scenarios = files.prefix(limit ?? files.count).map { loadScenario(folder + "/" + $0) }
    let e = engine.loadEngine()
    signal(SIGINT) { _ in evalInterrupted = true }
    let t0 = Date()
    let evaluation = EvaluationRun(scenarios: scenarios, strategies: strategies, virtualTime: virtualTime) { s, clock in
      engine.session(e, s, clock: clock)
    }
    let results = evaluation.run(shouldStop: { evalInterrupted }) { done, total, id, s in
      let bar = String(repeating: "█", count: done * 30 / total) + String(repeating: "░", count: 30 - done * 30 / total)
      FileHandle.standardError.write(String(format: "\r%@ %d/%d  %.0f s  %@ %@   ", bar, done, total, Date().timeIntervalSince(t0), id, s.rawValue).data(using: .utf8)!)
    }
    FileHandle.standardError.write("\n".data(using: .utf8)!)
    if evalInterrupted { FileHandle.standardError.write("interrupted: table of the \(results.count) finished runs\n".data(using: .utf8)!) }
    print(EvaluationTable(results: results).render(markdown: markdown), terminator: "")
    if let j = json {
      let data = try JSONSerialization.data(withJSONObject: results.map(\.json), options: [.prettyPrinted, .sortedKeys])
      try data.write(to: URL(fileURLWithPath: j))
    }
  }
}
