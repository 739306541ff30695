import Foundation
import Reasoning
import Transformer

/// The outcome of one scenario run.
public struct RunResult: Sendable {
  public var id: String
  public var mode: PolicyOptions.Strategy
  public var events: [TimedEvent]
  public var answer: String
  public var correct: Bool?
  public var metrics: DelayMetrics
  public var thinkerTokens: Int
  public var steps: Int
  public var probes: Int
  public var computeSeconds: Double
  public var simulatedSeconds: Double
  public var blockedTokens: Int
  /// The scenario's tags (per-tag rows of the eval table).
  public var tags: [String] = []
  /// Which repeat of the scenario (0 = its timing as written; `eval --repeat`).
  public var repeatIndex = 0
  /// What made the run, where the eval recorded it (rows of earlier files have none): the model
  /// file's name and the kernels' instruction set, so that merged shards show whether they are
  /// one run (`EvaluationMerge.provenance`).
  public var model: String?
  public var kernels: String?
  public var realTimeFactor: Double { simulatedSeconds > 0 ? computeSeconds / simulatedSeconds : 0 }
  /// Names the run within an evaluation: scenario, mode and repeat.
  public var key: String { Self.key(id: id, mode: mode, repeatIndex: repeatIndex) }

  public static func key(id: String, mode: PolicyOptions.Strategy, repeatIndex: Int) -> String {
    "\(id)/\(mode.rawValue)/\(repeatIndex)"
  }

  public init(
    id: String, mode: PolicyOptions.Strategy, events: [TimedEvent], answer: String, correct: Bool?, metrics: DelayMetrics,
    thinkerTokens: Int, steps: Int, probes: Int, computeSeconds: Double, simulatedSeconds: Double, blockedTokens: Int
  ) {
    self.id = id
    self.mode = mode
    self.events = events
    self.answer = answer
    self.correct = correct
    self.metrics = metrics
    self.thinkerTokens = thinkerTokens
    self.steps = steps
    self.probes = probes
    self.computeSeconds = computeSeconds
    self.simulatedSeconds = simulatedSeconds
    self.blockedTokens = blockedTokens
  }

  public var json: [String: Any] {
    var d: [String: Any] = [
      "id": id, "mode": mode.rawValue, "answer": answer, "thinker_tokens": thinkerTokens, "steps": steps,
      "probes": probes, "compute_seconds": computeSeconds, "simulated_seconds": simulatedSeconds,
      "real_time_factor": realTimeFactor, "total_delay": metrics.totalDelay, "adjusted_delay": metrics.adjustedDelay,
      "pauses": metrics.pauses, "blocked_tokens": blockedTokens, "tags": tags, "repeat": repeatIndex,
    ]
    d["time_to_first_word"] = metrics.timeToFirstWord ?? NSNull()
    d["correct"] = correct ?? NSNull()
    if let model { d["model"] = model }
    if let kernels { d["kernels"] = kernels }
    return d
  }
}
