import Foundation
import Reasoning

/// Joins the per-run rows of several `eval --json` files (shards of one run, or runs of the same
/// scenarios at different times) into one list for `EvaluationTable`. A run is keyed by
/// (scenario, mode, repeat): the same key twice is kept once when the rows agree and is an error
/// when they disagree on the answer, so two different runs are not silently mixed.
public enum EvaluationMerge {
  public static func merge(_ files: [(name: String, data: Data)]) throws -> [RunResult] {
    var seen: [String: (file: String, result: RunResult)] = [:]
    var order: [String] = []
    for (name, data) in files {
      guard let rows = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
        throw TranscriptError.cannotRead(name, "not an `asyncvoice eval --json` file (expected a JSON list of run objects)")
      }
      for (i, row) in rows.enumerated() {
        let r: RunResult
        do { r = try RunResult(json: row) } catch {
          throw TranscriptError.badLine(file: name, line: i + 1, reason: "run \(i + 1): \(error)")
        }
        let key = r.key
        if let old = seen[key] {
          guard old.result.answer == r.answer && old.result.correct == r.correct else {
            throw TranscriptError.cannotRead(
              name, "run \(key) is also in \(old.file) with a different answer: different runs mixed?")
          }
          continue
        }
        seen[key] = (name, r)
        order.append(key)
      }
    }
    let rows = order.map { seen[$0]!.result }
    let models = Set(rows.compactMap(\.model))
    guard models.count <= 1 else {
      throw TranscriptError.reason(
        "the files hold runs of different models (\(models.sorted().joined(separator: ", "))): one table is of one model")
    }
    return rows
  }

  /// What made the rows, for the merged table's reader: "model M; kernels avx2 (566),
  /// avx512vnni (3), not recorded (130)" — one run shows one of each.
  public static func provenance(_ rows: [RunResult]) -> String {
    func counted(_ values: [String?]) -> String {
      var n: [String: Int] = [:]
      for v in values { n[v ?? "not recorded", default: 0] += 1 }
      return n.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
        .joined(separator: ", ")
    }
    return "model \(counted(rows.map(\.model))); kernels \(counted(rows.map(\.kernels)))"
  }
}

extension RunResult {
  /// Reads one row of `eval --json` (the inverse of `json`, without the events).
  public init(json d: [String: Any]) throws {
    func num(_ k: String) throws -> Double {
      guard let n = TranscriptEvent.number(d[k]) else { throw TranscriptError.reason("needs a number \"\(k)\"") }
      return n
    }
    guard let id = d["id"] as? String else { throw TranscriptError.reason("needs a string \"id\"") }
    guard let m = d["mode"] as? String, let mode = PolicyOptions.Strategy(rawValue: m) else {
      throw TranscriptError.reason("needs \"mode\" (async, think, nothink)")
    }
    let metrics = DelayMetrics(
      timeToFirstWord: TranscriptEvent.number(d["time_to_first_word"]), totalDelay: try num("total_delay"),
      adjustedDelay: try num("adjusted_delay"), pauses: Int(TranscriptEvent.number(d["pauses"]) ?? 0))
    self.init(
      id: id, mode: mode, events: [], answer: d["answer"] as? String ?? "", correct: d["correct"] as? Bool, metrics: metrics,
      thinkerTokens: Int(try num("thinker_tokens")), steps: Int(TranscriptEvent.number(d["steps"]) ?? 0),
      probes: Int(TranscriptEvent.number(d["probes"]) ?? 0), computeSeconds: try num("compute_seconds"),
      simulatedSeconds: try num("simulated_seconds"), blockedTokens: Int(TranscriptEvent.number(d["blocked_tokens"]) ?? 0))
    tags = d["tags"] as? [String] ?? []
    repeatIndex = Int(TranscriptEvent.number(d["repeat"]) ?? 0)
    model = d["model"] as? String
    kernels = d["kernels"] as? String
  }
}
