import Foundation
import Kernels
import Reasoning
import Session
import Testing
import Transformer

/// The small model's engine, cached for `SessionTests` and its extensions (one serialized suite:
/// a `Model` is used by one thread at a time).
enum Model135 {
  static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("Assets/SmolLM2-135M-Instruct.Q4_1.gguf").path
  nonisolated(unsafe) static var cached: Engine?
  static let lock = NSLock()
  static func engine() throws -> Engine {
    lock.lock()
    defer { lock.unlock() }
    if let e = cached { return e }
    let e = try load()
    cached = e
    return e
  }

  /// A new engine on the test model (suites that run beside `SessionTests` keep their own: a
  /// `Model` serves one thread at a time); skips the test when the model is not fetched.
  static func load() throws -> Engine {
    guard FileManager.default.fileExists(atPath: path) else { throw CancellationError() }
    return try Engine(path: path, threads: 2)
  }
}

func words(_ text: String, start: Double = 0.5, gap: Double = 0.3) -> [TimedEvent] {
  var out: [TimedEvent] = []
  var t = start
  for w in text.split(separator: " ") {
    out.append(TimedEvent(t: t, event: .heard(String(w))))
    t += gap
  }
  out.append(TimedEvent(t: t, event: .endOfUtterance))
  return out
}

/// The user's words as the session encodes them, one word at a time.
func heardTokens(_ text: String, _ tok: Tokenizer) -> [Int32] {
  text.split(separator: " ").enumerated().flatMap { i, w in tok.encodePlain(i == 0 ? String(w) : " " + w) }
}

/// Up to `count` greedy tokens after `prompt` in a block of its own (stops at a stop token).
func greedy(_ e: Engine, prompt: [Int32], count: Int) -> [Int32] {
  let b = e.store.makeBlock("plain", capacity: prompt.count + count + 1)
  defer { e.store.remove(b) }
  e.model.prefill(prompt, view: [b], store: e.store)
  var out: [Int32] = []
  for _ in 0..<count {
    let next = Sampler.argmax(e.model.logits(0))!
    if e.stopTokens.contains(next) { break }
    out.append(next)
    e.model.forward(tokens: [next], views: [[b]], store: e.store, logitsFor: [0])
  }
  return out
}
