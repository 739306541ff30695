import ArgumentParser
import Foundation
import Reasoning
import Session

/// Measures the control probe on fixed situations over the scenario library, so a prompt set can
/// be chosen by numbers: (a) question heard, no thoughts yet; (b) thoughts written (thought
/// budget), nothing said; (c) the answer said.
struct ProbeCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "probe-check", abstract: "Measure how well the control probe separates empty, solved and answered situations.")

  @Argument(help: "Scenario folder.") var dir = "Transcripts/scenarios"
  @Option(help: "Only the first N scenarios.") var limit: Int?
  @Flag(help: "Print one line per scenario.") var verbose = false
  @OptionGroup var engine: EngineOptions

  func validate() throws { try OptionRanges.check("--limit", limit) }

  func run() throws {
    let folder = Defaults.resolve(dir)
    let files = scenarioFiles(in: folder)
    guard !files.isEmpty else { fail("no scenarios in \(folder)") }
    let e = engine.loadEngine()
    var rows: [(a: (Double, Double, Double, Bool), b: (Double, Double, Double, Bool), c: (Double, Double, Double, Bool))] = []
    let chosen = Array(files.prefix(limit ?? files.count))
    for (i, f) in chosen.enumerated() {
      let sc = loadScenario(folder + "/" + f)
      // Each scenario thinks to its budget (a minute of CPU on the 1.5B): say where it is.
      FileHandle.standardError.write("\rprobe-check: \(i + 1)/\(chosen.count) \(sc.id)   ".data(using: .utf8)!)
      let session = engine.session(e, .think, clock: VirtualClock())
      let runner = ScenarioRunner(session: session)
      // Hear the question only (no interjections).
      let question = sc.userEvents.filter { if case .interjection = $0.event { return false } else { return true } }
      for ev in question {
        switch ev.event {
        case .heard(let w): session.hear(w)
        case .endOfUtterance: session.endOfUtterance()
        default: break
        }
      }
      let a = session.probeNow()
      while session.mode == .thinking { session.tick() }
      let b = session.probeNow()
      while session.mode != .done { if !session.tick() { break } }
      let c = session.probeNow()
      _ = runner
      let row = ((a.pYes, a.pNo, a.logRatio, a.yes), (b.pYes, b.pNo, b.logRatio, b.yes), (c.pYes, c.pNo, c.logRatio, c.yes))
      rows.append(row)
      if verbose {
        print(
          String(
            format: "%@ (a) %.2f/%.2f %@  (b) %.2f/%.2f %@  (c) %.2f/%.2f %@",
            sc.id.padding(toLength: max(22, sc.id.count), withPad: " ", startingAt: 0),
            a.pYes, a.pNo, a.yes ? "yes" : "no ", b.pYes, b.pNo, b.yes ? "yes" : "no ", c.pYes, c.pNo, c.yes ? "yes" : "no "))
        fflush(stdout)  // a line per scenario as it ends, also into a file or a pipe
      }
    }
    FileHandle.standardError.write("\n".data(using: .utf8)!)
    let n = Double(rows.count)
    let prompts = engine.promptSet(for: e)
    func frac(_ f: (Int) -> Bool) -> Double { Double(rows.indices.filter(f).count) / n }
    print(
      "prompt set: \(prompts.name), \(rows.count) scenarios, model \(URL(fileURLWithPath: e.path).lastPathComponent)"
    )
    print(
      String(
        format: "(a) no thoughts yet      → says no   %3.0f %%   mean P(yes) %.3f  P(no) %.3f", 100 * frac { !rows[$0].a.3 },
        rows.map(\.a.0).reduce(0, +) / n, rows.map(\.a.1).reduce(0, +) / n))
    print(
      String(
        format: "(b) thoughts, no answer  → says yes  %3.0f %%   mean P(yes) %.3f  P(no) %.3f", 100 * frac { rows[$0].b.3 },
        rows.map(\.b.0).reduce(0, +) / n, rows.map(\.b.1).reduce(0, +) / n))
    if prompts.thinkerViewHoldsAnswer {
      print(
        String(
          format: "(c) answered             → says no   %3.0f %%   mean P(yes) %.3f  P(no) %.3f", 100 * frac { !rows[$0].c.3 },
          rows.map(\.c.0).reduce(0, +) / n, rows.map(\.c.1).reduce(0, +) / n))
    } else {
      // the probe reads the thoughts' view, which holds no answer in this set: (c) repeats (b)
      print("(c) answered             → not measured: this set's thoughts do not see the answer")
    }
    print(
      String(
        format: "separation (a)→(b): log P(yes)/P(no) rises in %.0f %% of scenarios", 100 * frac { rows[$0].b.2 > rows[$0].a.2 }))
    print(
      String(
        format: "mean P(yes)+P(no): %.3f", rows.map { ($0.a.0 + $0.a.1 + $0.b.0 + $0.b.1 + $0.c.0 + $0.c.1) / 3 }.reduce(0, +) / n
      ))
  }
}
