import Foundation
import Kernels
import Testing
import Transformer

enum Paths {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
  static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
  static let smollm = root.appendingPathComponent("Assets/SmolLM2-135M-Instruct.Q4_1.gguf").path
  static let qwen = root.appendingPathComponent("Assets/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf").path
}

func loadJSON(_ name: String) throws -> Any {
  try JSONSerialization.jsonObject(with: Data(contentsOf: Paths.fixtures.appendingPathComponent(name)))
}

/// Models are shared across tests (loading is cheap, but the engine pool is global).
enum Shared {
  nonisolated(unsafe) static var engines: [String: Engine] = [:]
  static let lock = NSLock()
  static func engine(_ path: String) throws -> Engine {
    lock.lock()
    defer { lock.unlock() }
    if let e = engines[path] { return e }
    guard FileManager.default.fileExists(atPath: path) else {
      throw TestFailure("model \(path) is missing: run scripts/setup.sh first")
    }
    let e = try Engine(path: path, threads: 2)
    engines[path] = e
    return e
  }
}

struct TestFailure: Error, CustomStringConvertible {
  let description: String
  init(_ d: String) { description = d }
}

/// Runs `ids` through the model one block at a time; returns logits of every position.
func logitsAllPositions(_ e: Engine, _ ids: [Int32]) -> [[Float]] {
  let b = e.store.makeBlock("test", capacity: ids.count + 1)
  defer { e.store.remove(b) }
  var out: [[Float]] = []
  for id in ids {
    e.model.forward(tokens: [id], views: [[b]], store: e.store, logitsFor: [0])
    out.append(Array(e.model.logits(0)))
  }
  return out
}

/// Runs `body` with the engine's activation precision set (and restored after).
func withPrecision<T>(_ e: Engine, exact: Bool, _ body: () throws -> T) rethrows -> T {
  let old = e.model.exactActivations
  e.model.exactActivations = exact
  defer { e.model.exactActivations = old }
  return try body()
}
