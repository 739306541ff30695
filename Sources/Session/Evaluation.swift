import Foundation
import Reasoning

/// The paper's Table 1 per mode, plus async's ratios to the baselines, with what tells a gain
/// from noise: a Wilson 95 % interval on every accuracy, accuracy per tag, and an exact McNemar
/// test between each pair of modes on the same runs (scenario and repeat).
public struct EvaluationTable {
  public struct Row {
    public var mode: PolicyOptions.Strategy
    public var n: Int
    /// Runs with a checker, and how many of them were right.
    public var checked: Int
    public var correct: Int
    public var accuracy: Double
    public var ci: (low: Double, high: Double)
    public var meanTTFW: Double
    public var p90TTFW: Double
    public var totalDelay: Double
    public var adjustedDelay: Double
    public var thinkerTokens: Double
    public var realTimeFactor: Double
  }
  /// Accuracy of each mode on the runs of one tag ("all" = every run).
  public struct TagRow {
    public var tag: String
    public var byMode: [(mode: PolicyOptions.Strategy, correct: Int, checked: Int, ci: (low: Double, high: Double))]
  }
  /// Exact McNemar between two modes on one tag: b = runs `first` got right and `second` wrong.
  public struct Pair {
    public var tag: String
    public var first: PolicyOptions.Strategy
    public var second: PolicyOptions.Strategy
    public var pairs: Int
    public var b: Int
    public var c: Int
    public var p: Double
  }

  public var rows: [Row]
  public var tagRows: [TagRow]
  public var pairs: [Pair]

  public init(results: [RunResult]) {
    let modes = PolicyOptions.Strategy.allCases.filter { m in results.contains { $0.mode == m } }
    rows = modes.map { m in Self.row(m, results.filter { $0.mode == m }) }
    let tags = ["all"] + Set(results.flatMap(\.tags)).sorted()
    func runs(_ tag: String) -> [RunResult] { tag == "all" ? results : results.filter { $0.tags.contains(tag) } }
    tagRows = tags.map { tag in
      TagRow(
        tag: tag,
        byMode: modes.map { m in
          let checked = runs(tag).filter { $0.mode == m }.compactMap(\.correct)
          let k = checked.filter { $0 }.count
          return (m, k, checked.count, Statistics.wilson(successes: k, trials: checked.count))
        })
    }
    var pairs: [Pair] = []
    for tag in tags {
      let rs = runs(tag)
      for (i, a) in modes.enumerated() {
        for b in modes[(i + 1)...] { pairs.append(Self.pair(tag, a, b, rs)) }
      }
    }
    self.pairs = pairs
  }

  static func row(_ mode: PolicyOptions.Strategy, _ rs: [RunResult]) -> Row {
    let checked = rs.compactMap(\.correct)
    let k = checked.filter { $0 }.count
    let ttfw = rs.map { $0.metrics.timeToFirstWord ?? $0.simulatedSeconds }.sorted()
    func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }
    let p90 = ttfw[min(ttfw.count - 1, Int((Double(ttfw.count) * 0.9).rounded(.up)) - 1)]
    return Row(
      mode: mode, n: rs.count, checked: checked.count, correct: k,
      accuracy: checked.isEmpty ? 0 : Double(k) / Double(checked.count),
      ci: Statistics.wilson(successes: k, trials: checked.count),
      meanTTFW: mean(ttfw), p90TTFW: p90, totalDelay: mean(rs.map(\.metrics.totalDelay)),
      adjustedDelay: mean(rs.map(\.metrics.adjustedDelay)), thinkerTokens: mean(rs.map { Double($0.thinkerTokens) }),
      realTimeFactor: mean(rs.map(\.realTimeFactor)))
  }

  /// Pairs the two modes' runs of the same scenario and repeat that both have a verdict.
  static func pair(_ tag: String, _ a: PolicyOptions.Strategy, _ b: PolicyOptions.Strategy, _ rs: [RunResult]) -> Pair {
    func verdicts(_ m: PolicyOptions.Strategy) -> [String: Bool] {
      var d: [String: Bool] = [:]
      for r in rs where r.mode == m { if let c = r.correct { d["\(r.id)#\(r.repeatIndex)"] = c } }
      return d
    }
    let va = verdicts(a), vb = verdicts(b)
    let keys = va.keys.filter { vb[$0] != nil }
    let onlyA = keys.filter { va[$0]! && !vb[$0]! }.count
    let onlyB = keys.filter { !va[$0]! && vb[$0]! }.count
    return Pair(
      tag: tag, first: a, second: b, pairs: keys.count, b: onlyA, c: onlyB, p: Statistics.mcnemarExact(b: onlyA, c: onlyB))
  }

  static func interval(_ ci: (low: Double, high: Double)) -> String { String(format: "[%.2f, %.2f]", ci.low, ci.high) }

  public func render(markdown: Bool) -> String {
    let head = [
      "mode", "n", "accuracy", "95% CI", "TTFW mean s", "TTFW p90 s", "total delay s", "adj. delay s", "thinker tok", "RTF",
    ]
    let body = rows.map {
      [
        $0.mode.rawValue, "\($0.n)", String(format: "%.2f", $0.accuracy), Self.interval($0.ci),
        String(format: "%.2f", $0.meanTTFW),
        String(format: "%.2f", $0.p90TTFW), String(format: "%.2f", $0.totalDelay), String(format: "%.2f", $0.adjustedDelay),
        String(format: "%.0f", $0.thinkerTokens), String(format: "%.2f", $0.realTimeFactor),
      ]
    }
    var out = Self.table(head, body, markdown: markdown)
    if let a = rows.first(where: { $0.mode == .async }) {
      for b in rows where b.mode != .async {
        let ratio = a.totalDelay > 0 ? b.totalDelay / a.totalDelay : .infinity
        // async's delay as a factor of the other's, "less" or "more" (never "0.3× less")
        let (factor, word) = ratio >= 1 || b.totalDelay == 0 ? (ratio, "less") : (1 / ratio, "more")
        out += String(
          format: "async vs %@: total delay %.1f× %@, accuracy %+.0f points\n", b.mode.rawValue, factor, word,
          (a.accuracy - b.accuracy) * 100)
      }
    }
    out += "\n" + renderTags(markdown: markdown)
    if !pairs.isEmpty { out += "\n" + renderPairs(markdown: markdown) }
    return out
  }

  /// Accuracy per tag: "right/checked accuracy [95% CI]" per mode.
  public func renderTags(markdown: Bool) -> String {
    let head = ["tag"] + rows.map { "\($0.mode.rawValue) accuracy [95% CI]" }
    let body = tagRows.map { t in
      [t.tag]
        + t.byMode.map { m in
          m.checked == 0
            ? "–"
            : String(format: "%d/%d %.2f ", m.correct, m.checked, Double(m.correct) / Double(m.checked)) + Self.interval(m.ci)
        }
    }
    return Self.table(head, body, markdown: markdown)
  }

  /// Paired test per tag: "b/c p" where b = runs only the first mode got right, c = only the second.
  public func renderPairs(markdown: Bool) -> String {
    let columns = pairs.filter { $0.tag == "all" }.map { "\($0.first.rawValue) vs \($0.second.rawValue)" }
    let body = tagRows.map { t in
      [t.tag] + pairs.filter { $0.tag == t.tag }.map { String(format: "%d/%d p=%.3g", $0.b, $0.c, $0.p) }
    }
    return "exact McNemar, b/c = runs only the first / only the second mode got right (pairs: same scenario and repeat)\n"
      + Self.table(["tag"] + columns, body, markdown: markdown)
  }

  static func table(_ head: [String], _ body: [[String]], markdown: Bool) -> String {
    var out = ""
    if markdown {
      out += "| " + head.joined(separator: " | ") + " |\n"
      out += "|" + head.map { _ in "---" }.joined(separator: "|") + "|\n"
      for r in body { out += "| " + r.joined(separator: " | ") + " |\n" }
    } else {
      let widths = head.indices.map { c in ([head[c]] + body.map { $0[c] }).map(\.count).max()! }
      func line(_ r: [String]) -> String {
        r.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
      }
      out += line(head) + "\n" + line(widths.map { String(repeating: "-", count: $0) }) + "\n"
      for r in body { out += line(r) + "\n" }
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
  /// Runs per scenario and mode: repeat 0 keeps the scenario's word times, repeat r > 0 jitters
  /// them ±15 % with the seed `TimingJitter.seed(scenario:repeat:)`.
  public var repeats = 1
  /// A fresh virtual clock for one run (the running model's costs; `VirtualClock()` by default).
  public var makeVirtualClock: () -> VirtualClock = { VirtualClock() }
  /// A fresh session for one run.
  public var makeSession: (PolicyOptions.Strategy, SessionClock) -> ReasoningSession

  public init(
    scenarios: [Transcript], strategies: [PolicyOptions.Strategy], virtualTime: Bool, repeats: Int = 1,
    makeSession: @escaping (PolicyOptions.Strategy, SessionClock) -> ReasoningSession
  ) {
    self.scenarios = scenarios
    self.strategies = strategies
    self.virtualTime = virtualTime
    self.repeats = max(1, repeats)
    self.makeSession = makeSession
  }

  /// The user's side of one repeat of a scenario.
  public static func userEvents(_ sc: Transcript, repeat r: Int) -> [TimedEvent] {
    r == 0 ? sc.userEvents : TimingJitter.apply(sc.userEvents, seed: TimingJitter.seed(scenario: sc.id, repeat: r))
  }

  /// The keys (`RunResult.key`) of every run this evaluation makes, in its order.
  public var plannedKeys: [String] {
    scenarios.flatMap { sc in
      (0..<repeats).flatMap { r in strategies.map { RunResult.key(id: sc.id, mode: $0, repeatIndex: r) } }
    }
  }

  /// The finished runs, in scenario-then-repeat-then-mode order, leaving out the runs whose keys
  /// are in `skipping` (finished by an earlier, interrupted evaluation); stops early (keeping what
  /// finished) when `shouldStop` turns true. After each run, `finished(result)` and then
  /// `progress(done, total, scenario, mode)`, where `done` counts the skipped runs too.
  public func run(
    skipping: Set<String> = [], shouldStop: () -> Bool = { false }, finished: (RunResult) -> Void = { _ in },
    progress: (Int, Int, String, PolicyOptions.Strategy) -> Void = { _, _, _, _ in }
  )
    -> [RunResult]
  {
    var results: [RunResult] = []
    let total = scenarios.count * repeats * strategies.count
    var done = 0
    for sc in scenarios {
      for r in 0..<repeats {
        let user = Self.userEvents(sc, repeat: r)
        for s in strategies {
          if skipping.contains(RunResult.key(id: sc.id, mode: s, repeatIndex: r)) {
            done += 1
            continue
          }
          if shouldStop() { return results }
          let clock: SessionClock = virtualTime ? makeVirtualClock() : RealClock()
          let runner = ScenarioRunner(session: makeSession(s, clock))
          runner.run(user)
          var result = runner.result(id: sc.id, mode: s, expected: sc.expected)
          result.tags = sc.tags
          result.repeatIndex = r
          results.append(result)
          done += 1
          finished(result)
          progress(done, total, r == 0 ? sc.id : "\(sc.id)#\(r)", s)
        }
      }
    }
    return results
  }
}
