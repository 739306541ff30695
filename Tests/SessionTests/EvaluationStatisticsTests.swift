import Foundation
import Reasoning
import Session
import Testing

@Suite struct StatisticsTests {
  // Reference values: statsmodels proportion_confint(k, n, method="wilson") / the closed form in Python.
  @Test(
    "Wilson 95 % interval",
    arguments: [
      (5, 10, 0.236593090512564, 0.7634069094874361), (0, 10, 0.0, 0.2775327998628892),
      (10, 10, 0.7224672001371107, 1.0), (8, 10, 0.49016247153664183, 0.9433178485456247),
      (44, 100, 0.34672026630160796, 0.5377189534832302), (1, 1, 0.20654931437723745, 1.0),
    ])
  func wilson(k: Int, n: Int, low: Double, high: Double) {
    let ci = Statistics.wilson(successes: k, trials: n)
    #expect(abs(ci.low - low) < 1e-9 && abs(ci.high - high) < 1e-9)
  }

  @Test func wilsonOfNothing() {
    #expect(Statistics.wilson(successes: 0, trials: 0) == (0, 1))
  }

  // Reference values: scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue (scipy 1.17), and by
  // hand: b=3, c=10 → 2·(1+13+78+286)/2^13 = 0.09228515625.
  @Test(
    "exact McNemar two-sided p",
    arguments: [
      (3, 10, 0.09228515625), (10, 3, 0.09228515625), (0, 6, 0.03125), (5, 5, 1.0), (1, 9, 0.021484375),
      (10, 25, 0.016673847800120715), (0, 0, 1.0), (2, 0, 0.5),
    ])
  func mcnemar(b: Int, c: Int, p: Double) {
    #expect(abs(Statistics.mcnemarExact(b: b, c: c) - p) < 1e-9)
  }

  @Test("McNemar stays finite for thousands of pairs")
  func mcnemarLarge() {
    let p = Statistics.mcnemarExact(b: 1400, c: 1600)
    #expect(p > 0 && p < 0.001)  // z ≈ 3.65
    #expect(Statistics.mcnemarExact(b: 1500, c: 1500) == 1)
  }
}

@Suite struct EvaluationSplitTests {
  @Test(
    "--shard K/N parses and rejects what it must",
    arguments: [
      ("0/4", true), ("3/4", true), ("4/4", false), ("-1/4", false), ("1/0", false), ("1", false), ("a/b", false), ("0/1", true),
    ])
  func shardParsing(s: String, ok: Bool) {
    let parsed = try? EvaluationShard(parsing: s)
    #expect((parsed != nil) == ok)
  }

  @Test("shards partition the scenarios: each goes to exactly one, i mod N")
  func shardsPartition() throws {
    let xs = Array(0..<23)
    let shards = try (0..<4).map { try EvaluationShard(parsing: "\($0)/4").select(xs) }
    #expect(shards[1] == [1, 5, 9, 13, 17, 21])
    #expect(shards.flatMap { $0 }.sorted() == xs)
    #expect(EvaluationShard.all.select(xs) == xs)
  }

  let words: [TimedEvent] =
    [0.6, 1.0, 1.5, 2.5, 3.1].map { TimedEvent(t: $0, event: .heard("w")) } + [TimedEvent(t: 3.6, event: .endOfUtterance)]

  @Test("jitter: seeded, order kept, every gap within ±15 %")
  func jitter() {
    let a = TimingJitter.apply(words, seed: 7)
    #expect(a == TimingJitter.apply(words, seed: 7))
    #expect(a != TimingJitter.apply(words, seed: 8))
    #expect(a.map(\.event) == words.map(\.event))
    var prevA = 0.0, prevW = 0.0
    for (x, w) in zip(a, words) {
      let ratio = (x.t - prevA) / (w.t - prevW)
      #expect(ratio >= 0.85 - 1e-12 && ratio <= 1.15 + 1e-12)
      prevA = x.t
      prevW = w.t
    }
    #expect(TimingJitter.seed(scenario: "wp-001", repeat: 1) != TimingJitter.seed(scenario: "wp-002", repeat: 1))
    #expect(TimingJitter.seed(scenario: "wp-001", repeat: 1) != TimingJitter.seed(scenario: "wp-001", repeat: 2))
  }

  @Test("repeat 0 keeps the scenario's times; later repeats are jittered the same way every time")
  func repeats() {
    let sc = Transcript(header: ["kind": "scenario", "id": "s"], events: words)
    #expect(EvaluationRun.userEvents(sc, repeat: 0) == words)
    #expect(EvaluationRun.userEvents(sc, repeat: 2) == EvaluationRun.userEvents(sc, repeat: 2))
    #expect(EvaluationRun.userEvents(sc, repeat: 2) != words)
  }
}

@Suite struct EvaluationMergeTests {
  func result(
    _ id: String, _ mode: PolicyOptions.Strategy, ok: Bool?, tags: [String] = ["word-problem"], rep: Int = 0, answer: String = "x"
  )
    -> RunResult
  {
    var r = RunResult(
      id: id, mode: mode, events: [], answer: answer, correct: ok,
      metrics: DelayMetrics(timeToFirstWord: 1, totalDelay: 2, adjustedDelay: 1, pauses: 0),
      thinkerTokens: 5, steps: 10, probes: 1, computeSeconds: 1, simulatedSeconds: 4, blockedTokens: 0)
    r.tags = tags
    r.repeatIndex = rep
    return r
  }
  func file(_ rs: [RunResult]) throws -> Data { try JSONSerialization.data(withJSONObject: rs.map(\.json)) }

  @Test("merging shard files gives the table of the whole run")
  func mergeShards() throws {
    var all: [RunResult] = []
    for i in 0..<6 {
      let tags: [String] = i < 3 ? ["word-problem"] : ["safety"]
      all.append(result("s\(i)", .async, ok: i % 2 == 0, tags: tags))
      all.append(result("s\(i)", .nothink, ok: i == 0, tags: tags))
    }
    var shards: [Data] = []
    for k in 0..<3 {
      let mine: [Int] = EvaluationShard(index: k, count: 3).select(Array(0..<6))
      shards.append(try file(mine.flatMap { (i: Int) -> [RunResult] in [all[2 * i], all[2 * i + 1]] }))
    }
    let merged = try EvaluationMerge.merge(shards.enumerated().map { ("shard-\($0.offset).json", $0.element) })
    #expect(merged.count == 12)
    #expect(EvaluationTable(results: merged).render(markdown: true) == EvaluationTable(results: all).render(markdown: true))
    // the same file twice is the same run
    #expect(try EvaluationMerge.merge([("a", shards[0]), ("b", shards[0])]).count == 4)
  }

  @Test("a run that appears twice with different answers is an error")
  func conflict() throws {
    let a = try file([result("s", .async, ok: true, answer: "48")])
    let b = try file([result("s", .async, ok: false, answer: "42")])
    #expect(throws: TranscriptError.self) { try EvaluationMerge.merge([("a", a), ("b", b)]) }
    #expect(throws: TranscriptError.self) { try EvaluationMerge.merge([("a", Data("{}".utf8))]) }
  }

  @Test("a row survives the JSON round trip")
  func roundTrip() throws {
    let r = result("s", .think, ok: nil, tags: ["a", "b"], rep: 3)
    let back = try RunResult(json: try #require(JSONSerialization.jsonObject(with: try file([r])) as? [[String: Any]]).first!)
    #expect(back.id == "s" && back.mode == .think && back.correct == nil && back.tags == ["a", "b"] && back.repeatIndex == 3)
    #expect(back.metrics == r.metrics && back.thinkerTokens == 5 && back.simulatedSeconds == 4)
  }

  @Test("rows keep the model and kernels that made them; a merge of two models is an error, of two kernel sets is told")
  func provenance() throws {
    var a = result("s0", .async, ok: true)
    (a.model, a.kernels) = ("m.gguf", "avx2")
    var b = result("s1", .async, ok: true)
    (b.model, b.kernels) = ("m.gguf", "avx512vnni")
    let old = result("s2", .async, ok: false)  // a row of a file written before rows said
    let merged = try EvaluationMerge.merge([("a", try file([a, old])), ("b", try file([b]))])
    #expect(merged.map(\.kernels) == ["avx2", nil, "avx512vnni"])
    #expect(
      EvaluationMerge.provenance(merged)
        == "model m.gguf (2), not recorded (1); kernels avx2 (1), avx512vnni (1), not recorded (1)")
    var other = result("s3", .async, ok: true)
    other.model = "n.gguf"
    #expect(throws: TranscriptError.self) { try EvaluationMerge.merge([("a", try file([a])), ("c", try file([other]))]) }
  }

  @Test("per-tag accuracy and paired McNemar rows")
  func tagsAndPairs() {
    // 10 word problems: async right on 8, nothink on 2; async alone right on 7, nothink alone on 1
    var rs: [RunResult] = []
    for i in 0..<10 {
      rs.append(result("w\(i)", .async, ok: i < 8))
      rs.append(result("w\(i)", .nothink, ok: i == 0 || i == 9))
    }
    rs.append(result("h", .async, ok: true, tags: ["safety"]))
    rs.append(result("h", .nothink, ok: true, tags: ["safety"]))
    let t = EvaluationTable(results: rs)
    #expect(t.tagRows.map(\.tag) == ["all", "safety", "word-problem"])
    let wp = t.tagRows[2].byMode
    #expect(wp[0].correct == 8 && wp[0].checked == 10 && abs(wp[0].ci.low - 0.49016247153664183) < 1e-9)
    let pair = t.pairs.first { $0.tag == "word-problem" }!
    #expect(pair.first == .async && pair.second == .nothink && pair.pairs == 10 && pair.b == 7 && pair.c == 1)
    #expect(abs(pair.p - 0.0703125) < 1e-12)  // 2·(1+8)/2^8
    let md = t.render(markdown: true)
    #expect(md.contains("| word-problem | 8/10 0.80 [0.49, 0.94] | 2/10 0.20 [0.06, 0.51] |"))
    #expect(md.contains("| word-problem | 7/1 p=0.0703 |"))
    #expect(md.contains("| safety | 0/0 p=1 |"))
  }

  @Test("repeats pair with the same repeat of the other mode only")
  func repeatPairs() {
    let rs = [
      result("s", .async, ok: true, rep: 0), result("s", .think, ok: false, rep: 0),
      result("s", .async, ok: false, rep: 1), result("s", .think, ok: true, rep: 1),
    ]
    let p = EvaluationTable(results: rs).pairs.first { $0.tag == "all" }!
    #expect(p.pairs == 2 && p.b == 1 && p.c == 1)
  }
}
