import Foundation
import Reasoning

/// The paper's Table 1 per mode, plus async's ratios to the baselines.
public struct EvaluationTable {
  public struct Row {
    public var mode: PolicyOptions.Strategy
    public var n: Int
    public var accuracy: Double
    public var meanTTFW: Double
    public var p90TTFW: Double
    public var totalDelay: Double
    public var adjustedDelay: Double
    public var thinkerTokens: Double
    public var realTimeFactor: Double
  }
  public var rows: [Row]

  public init(results: [RunResult]) {
    var rows: [Row] = []
    for mode in PolicyOptions.Strategy.allCases {
      let rs = results.filter { $0.mode == mode }
      guard !rs.isEmpty else { continue }
      let checked = rs.compactMap(\.correct)
      let ttfw = rs.map { $0.metrics.timeToFirstWord ?? $0.simulatedSeconds }.sorted()
      func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }
      let p90 = ttfw[min(ttfw.count - 1, Int((Double(ttfw.count) * 0.9).rounded(.up)) - 1)]
      rows.append(
        Row(
          mode: mode, n: rs.count, accuracy: checked.isEmpty ? 0 : Double(checked.filter { $0 }.count) / Double(checked.count),
          meanTTFW: mean(ttfw), p90TTFW: p90, totalDelay: mean(rs.map(\.metrics.totalDelay)),
          adjustedDelay: mean(rs.map(\.metrics.adjustedDelay)), thinkerTokens: mean(rs.map { Double($0.thinkerTokens) }),
          realTimeFactor: mean(rs.map(\.realTimeFactor))))
    }
    self.rows = rows
  }

  public func render(markdown: Bool) -> String {
    let head = ["mode", "n", "accuracy", "TTFW mean s", "TTFW p90 s", "total delay s", "adj. delay s", "thinker tok", "RTF"]
    let body = rows.map {
      [$0.mode.rawValue, "\($0.n)", String(format: "%.2f", $0.accuracy), String(format: "%.2f", $0.meanTTFW),
       String(format: "%.2f", $0.p90TTFW), String(format: "%.2f", $0.totalDelay), String(format: "%.2f", $0.adjustedDelay),
       String(format: "%.0f", $0.thinkerTokens), String(format: "%.2f", $0.realTimeFactor)]
    }
    var out = ""
    if markdown {
      out += "| " + head.joined(separator: " | ") + " |\n"
      out += "|" + head.map { _ in "---" }.joined(separator: "|") + "|\n"
      for r in body { out += "| " + r.joined(separator: " | ") + " |\n" }
    } else {
      let widths = head.indices.map { c in ([head[c]] + body.map { $0[c] }).map(\.count).max()! }
      func line(_ r: [String]) -> String { r.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") }
      out += line(head) + "\n" + line(widths.map { String(repeating: "-", count: $0) }) + "\n"
      for r in body { out += line(r) + "\n" }
    }
    if let a = rows.first(where: { $0.mode == .async }) {
      for b in rows where b.mode != .async {
        let ratio = a.totalDelay > 0 ? b.totalDelay / a.totalDelay : .infinity
        out += String(format: "async vs %@: total delay %.1f× less, accuracy %+.0f points\n", b.mode.rawValue, ratio, (a.accuracy - b.accuracy) * 100)
      }
    }
    return out
  }
}

/// Runs every scenario in each mode on one engine, one fresh session per run (the loop of
/// `asyncvoice eval`, here so that tests drive it too).
public struct EvaluationRun {
  public var scenarios: [Transcript]
  public var strategies: [PolicyOptions.Strategy]
  public var virtualTime: Bool
  /// A fresh session for one run.
  public var makeSession: (PolicyOptions.Strategy, SessionClock) -> ReasoningSession

  public init(
    scenarios: [Transcript], strategies: [PolicyOptions.Strategy], virtualTime: Bool,
    makeSession: @escaping (PolicyOptions.Strategy, SessionClock) -> ReasoningSession
  ) {
    self.scenarios = scenarios
    self.strategies = strategies
    self.virtualTime = virtualTime
    self.makeSession = makeSession
  }

  /// The finished runs, in scenario-then-mode order; stops early (keeping what finished) when
  /// `shouldStop` turns true. `progress(done, total, scenario, mode)` after each run.
  public func run(shouldStop: () -> Bool = { false }, progress: (Int, Int, String, PolicyOptions.Strategy) -> Void = { _, _, _, _ in })
    -> [RunResult]
  {
    var results: [RunResult] = []
    let total = scenarios.count * strategies.count
    for sc in scenarios {
      for s in strategies {
        if shouldStop() { return results }
        let clock: SessionClock = virtualTime ? VirtualClock() : RealClock()
        let runner = ScenarioRunner(session: makeSession(s, clock))
        if clock.isVirtual { runner.run(sc.userEvents) } else { runner.runLive(sc.userEvents) }
        results.append(runner.result(id: sc.id, mode: s, expected: sc.expected))
        progress(results.count, total, sc.id, s)
      }
    }
    return results
  }
}
