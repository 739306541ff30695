import Foundation
import Kernels
import Reasoning
import Session
import Testing
import Transformer

// Shares the cached engine with the session tests, so it runs in their serialized suite.
extension SessionTests {
  func scenario(_ id: String, _ text: String, expect: AnswerCheck) -> Transcript {
    var t = Transcript(header: ["kind": "scenario", "id": id], events: words(text))
    var d: [String: Any] = ["kind": expect.kind]
    if let v = expect.value { d["value"] = v }
    if let k = expect.keywords { d["keywords"] = k }
    t.header["expected"] = d
    return t
  }

  @Test("the listener waits from when the user stopped, though the busy engine hears the end later")
  func waitsFromTheUsersEnd() throws {
    let e = try Model135.engine()
    let user = words("What is the capital of France?")
    let said = user.last!.t
    // Prefill charged at 50 ms a token: the scaffolding encoded at the sentence's end keeps the
    // engine busy past the end of the utterance, 0.3 s after the last word.
    let session = ReasoningSession(
      engine: e, prompts: .instruct, options: PolicyOptions(), clock: VirtualClock(prefillSeconds: 0.05))
    let runner = ScenarioRunner(session: session)
    runner.run(user)
    let heard = try #require(runner.events.first { $0.event == .endOfUtterance }).t
    #expect(heard > said + 0.5, "the engine heard the end \(heard - said) s after it was said")
    let first = try #require(
      runner.events.lazy.compactMap { e -> Double? in
        if case .spoken(_, let start, _) = e.event { return start }
        return nil
      }.first)
    let ttfw = try #require(session.metrics.timeToFirstWord)
    #expect(abs(ttfw - (first - said)) < 1e-9, "first word at \(first), said at \(said), heard at \(heard)")
  }

  @Test("eval on two scenarios in three modes, virtual time: the table follows from the runs")
  func twoScenarios() throws {
    let e = try Model135.engine()
    let scenarios = [
      scenario("capital", "What is the capital of France?", expect: AnswerCheck(kind: "keywords", keywords: ["Paris"])),
      scenario(
        "sum", "I have 3 apples. I buy 2 more. How many apples do I have?", expect: AnswerCheck(kind: "number", value: "5")),
    ]
    var o = PolicyOptions()
    o.thoughtBudget = 16  // after the question; the overall limit stays far off
    o.speakAfter = 16
    o.answerBudget = 16
    let evaluation = EvaluationRun(scenarios: scenarios, strategies: [.async, .think, .nothink], virtualTime: true) { s, clock in
      var opts = o
      opts.strategy = s
      return ReasoningSession(engine: e, prompts: .instruct, options: opts, clock: clock)
    }
    var seen: [String] = []
    let results = evaluation.run(progress: { done, total, id, s in
      #expect(total == 6 && done == seen.count + 1)
      seen.append("\(id)/\(s.rawValue)")
    })
    #expect(seen == ["capital/async", "capital/think", "capital/nothink", "sum/async", "sum/think", "sum/nothink"])
    let by = Dictionary(uniqueKeysWithValues: results.map { ("\($0.id)/\($0.mode.rawValue)", $0) })
    for id in ["capital", "sum"] {
      let a = by["\(id)/async"]!, t = by["\(id)/think"]!, n = by["\(id)/nothink"]!
      #expect(n.thinkerTokens == 0 && t.thinkerTokens >= 16 && a.thinkerTokens > 0)
      // think mode speaks only after its 16-note budget: at least 16 virtual steps of silence
      #expect(t.metrics.timeToFirstWord! >= 16 * VirtualClock().stepSeconds)
      #expect(n.metrics.timeToFirstWord! < t.metrics.timeToFirstWord!)
      for r in [a, t, n] {
        #expect(!r.answer.isEmpty)
        #expect(r.correct == scenarios.first { $0.id == id }!.expected!.check(r.answer))
      }
    }
    let table = EvaluationTable(results: results)
    #expect(table.rows.map(\.mode) == [.async, .think, .nothink] && table.rows.allSatisfy { $0.n == 2 })
    for row in table.rows {
      let rs = results.filter { $0.mode == row.mode }
      #expect(abs(row.meanTTFW - rs.map { $0.metrics.timeToFirstWord! }.reduce(0, +) / 2) < 1e-9)
      #expect(abs(row.totalDelay - rs.map(\.metrics.totalDelay).reduce(0, +) / 2) < 1e-9)
      #expect(row.accuracy == Double(rs.filter { $0.correct == true }.count) / 2)
    }
    let ratio = table.rows[1].totalDelay / table.rows[0].totalDelay
    #expect(table.render(markdown: true).contains(String(format: "async vs think: total delay %.1f× less", ratio)))
  }

  @Test("eval --resume: the runs named in `skipping` are not made again; the rest are, counted after them")
  func skipsFinishedRuns() throws {
    let e = try Model135.engine()
    let scenarios = [
      scenario("capital", "What is the capital of France?", expect: AnswerCheck(kind: "keywords", keywords: ["Paris"])),
      scenario("sum", "I have 3 apples. I buy 2 more. How many apples?", expect: AnswerCheck(kind: "number", value: "5")),
    ]
    var o = PolicyOptions()
    o.thoughtBudget = 8
    o.answerBudget = 8
    let evaluation = EvaluationRun(scenarios: scenarios, strategies: [.think, .nothink], virtualTime: true) { s, clock in
      var opts = o
      opts.strategy = s
      return ReasoningSession(engine: e, prompts: .instruct, options: opts, clock: clock)
    }
    #expect(evaluation.plannedKeys == ["capital/think/0", "capital/nothink/0", "sum/think/0", "sum/nothink/0"])
    var finished: [String] = []
    var counts: [Int] = []
    let results = evaluation.run(
      skipping: ["capital/think/0", "sum/nothink/0"], finished: { finished.append($0.key) },
      progress: { done, total, _, _ in
        #expect(total == 4)
        counts.append(done)
      })
    #expect(results.map(\.key) == ["capital/nothink/0", "sum/think/0"])
    #expect(finished == results.map(\.key))
    #expect(counts == [2, 3])
  }
}
