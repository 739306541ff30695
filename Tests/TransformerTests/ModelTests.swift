import Foundation
import Kernels
import Testing
import Transformer

@Suite(.serialized) struct ModelTests {
  @Test("tiny random-weight models match the float reference at every position", arguments: ["llama", "qwen2", "qwen3"])
  func tinyModels(_ arch: String) throws {
    let e = try Engine(path: Paths.fixture("tiny-\(arch).gguf"), threads: 2)
    #expect(e.model.config.architecture.rawValue == arch)
    let g = try #require(try loadJSON("tiny-\(arch).json") as? [String: Any])
    let ids = (g["ids"] as! [Int]).map(Int32.init)
    let want = g["logits"] as! [[Double]]
    let got = withPrecision(e, exact: true) { logitsAllPositions(e, ids) }
    var maxErr: Float = 0
    for (p, row) in want.enumerated() {
      for (i, v) in row.enumerated() { maxErr = max(maxErr, abs(got[p][i] - Float(v))) }
    }
    #expect(maxErr <= 1e-4, "max |Δlogit| \(maxErr)")
  }

  @Test("SmolLM2: float activations within 1e-3 of ref_llama.py at all 16 positions")
  func smollmExact() throws {
    let e = try Shared.engine(Paths.smollm)
    let g = try #require(try loadJSON("smollm-logits.json") as? [String: Any])
    let ids = (g["ids"] as! [Int]).map(Int32.init)
    #expect(e.tokenizer.encode("<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n") == ids)
    let pos = g["positions"] as! [[String: Any]]
    let got = withPrecision(e, exact: true) { logitsAllPositions(e, ids) }
    var maxErr: Float = 0
    for (p, d) in pos.enumerated() {
      let first16 = (d["first16"] as! [Double]).map(Float.init)
      for i in 0..<16 { maxErr = max(maxErr, abs(got[p][i] - first16[i])) }
      #expect(
        Sampler.argmax(UnsafeMutableBufferPointer(start: UnsafeMutablePointer(mutating: got[p]), count: got[p].count)).map(
          Int.init) == d["argmax"] as? Int)
      maxErr = max(maxErr, abs((got[p].max() ?? 0) - Float(d["max"] as! Double)))
    }
    #expect(maxErr <= 1e-3, "max |Δlogit| \(maxErr)")
  }

  /// Greedy continuation through the decode path.
  static func greedy(_ e: Engine, _ ids: [Int32], steps: Int) -> [Int32] {
    let b = e.store.makeBlock("greedy", capacity: ids.count + steps + 1)
    defer { e.store.remove(b) }
    e.model.prefill(ids, view: [b], store: e.store)
    var out: [Int32] = []
    for _ in 0..<steps {
      let next = Sampler.argmax(e.model.logits(0))!
      out.append(next)
      e.model.forward(tokens: [next], views: [[b]], store: e.store, logitsFor: [0])
    }
    return out
  }

  @Test("SmolLM2: same 20 greedy tokens as the reference, with either activation precision", arguments: [true, false])
  func smollmGreedy(exact: Bool) throws {
    let e = try Shared.engine(Paths.smollm)
    let g = try #require(try loadJSON("smollm-logits.json") as? [String: Any])
    let ids = (g["ids"] as! [Int]).map(Int32.init)
    let want = (g["greedy_no_stop"] as! [Int]).map(Int32.init)
    let got = withPrecision(e, exact: exact) { Self.greedy(e, ids, steps: want.count) }
    #expect(got == want)
  }

  @Test("SmolLM2: 8-bit activations stay within llama.cpp's deviation (mean ≤ 0.3)")
  func smollmQ8Deviation() throws {
    let e = try Shared.engine(Paths.smollm)
    let g = try #require(try loadJSON("smollm-logits.json") as? [String: Any])
    let ids = (g["ids"] as! [Int]).map(Int32.init)
    let pos = g["positions"] as! [[String: Any]]
    let got = withPrecision(e, exact: false) { logitsAllPositions(e, ids) }
    var sum: Float = 0
    var n = 0
    for (p, d) in pos.enumerated() {
      for (i, v) in (d["first16"] as! [Double]).enumerated() {
        sum += abs(got[p][i] - Float(v))
        n += 1
      }
    }
    #expect(sum / Float(n) <= 0.3, "mean |Δ| \(sum / Float(n))")
  }

  @Test("Qwen2.5-0.5B (Q5_0/Q8_0/Q4_K/Q6_K): prompt ids, top-5 and greedy tokens of ref_llama.py")
  func qwenReference() throws {
    let e = try Shared.engine(Paths.qwen)
    let g = try #require(try loadJSON("ref_qwen2_0.5b.json") as? [String: Any])
    let ids = (g["prompt_ids"] as! [Int]).map(Int32.init)
    #expect(e.tokenizer.encode(g["prompt"] as! String) == ids)
    let top5 = g["top5"] as! [[Any]]
    let want = (g["greedy_ids"] as! [Int]).map(Int32.init)
    withPrecision(e, exact: true) {
      let b = e.store.makeBlock("q", capacity: 64)
      defer { e.store.remove(b) }
      let l = e.model.prefill(ids, view: [b], store: e.store)!
      for t in top5 {
        let id = t[0] as! Int
        #expect(abs(l[id] - Float(t[2] as! Double)) <= 1e-3, "token \(id)")
      }
      #expect(Self.greedy(e, ids, steps: want.count) == want)
    }
  }

  @Test("views are exact: [A|B|C] through block views equals contiguous A+B+C")
  func viewsAreExact() throws {
    let e = try Engine(path: Paths.fixture("tiny-qwen2.gguf"), threads: 2)
    let ids: [Int32] = [1, 40, 75, 82, 103, 36, 268, 262, 2, 13, 266, 265, 50, 60]
    let whole = withPrecision(e, exact: true) { logitsAllPositions(e, ids) }
    for split in [(3, 7), (1, 2), (5, 13)] {
      let s = e.store
      // Blocks created in a scrambled order: memory order does not matter, view order does.
      let c = s.makeBlock("C", capacity: 32)
      let a = s.makeBlock("A", capacity: 32)
      let b = s.makeBlock("B", capacity: 32)
      defer { [a, b, c].forEach(s.remove) }
      var got: [[Float]] = []
      withPrecision(e, exact: true) {
        for (i, id) in ids.enumerated() {
          let view = i < split.0 ? [a] : i < split.1 ? [a, b] : [a, b, c]
          e.model.forward(tokens: [id], views: [view], store: s, logitsFor: [0])
          got.append(Array(e.model.logits(0)))
        }
      }
      var maxErr: Float = 0
      for p in 0..<ids.count { for i in 0..<whole[p].count { maxErr = max(maxErr, abs(got[p][i] - whole[p][i])) } }
      #expect(maxErr <= 1e-4, "split \(split): \(maxErr)")
    }
  }

  @Test("f16 KV cache: SmolLM2 stays close to ref_llama.py and keeps the 20 greedy tokens")
  func smollmF16Cache() throws {
    let e = try Engine(path: Paths.smollm, threads: 2, kvF16: true)
    let g = try #require(try loadJSON("smollm-logits.json") as? [String: Any])
    let ids = (g["ids"] as! [Int]).map(Int32.init)
    let pos = g["positions"] as! [[String: Any]]
    let got = withPrecision(e, exact: true) { logitsAllPositions(e, ids) }
    var maxErr: Float = 0
    for (p, d) in pos.enumerated() {
      for (i, v) in (d["first16"] as! [Double]).enumerated() { maxErr = max(maxErr, abs(got[p][i] - Float(v))) }
    }
    #expect(maxErr <= 0.02, "max |Δlogit| with an f16 cache \(maxErr)")
    let want = (g["greedy_no_stop"] as! [Int]).map(Int32.init)
    #expect(withPrecision(e, exact: false) { Self.greedy(e, ids, steps: want.count) } == want)
  }

  @Test("views are exact with an f16 KV cache too")
  func viewsAreExactF16() throws {
    let e = try Engine(path: Paths.fixture("tiny-qwen2.gguf"), threads: 2, kvF16: true)
    let ids: [Int32] = [1, 40, 75, 82, 103, 36, 268, 262, 2, 13, 266, 265, 50, 60]
    let whole = withPrecision(e, exact: true) { logitsAllPositions(e, ids) }
    let s = e.store
    let b = s.makeBlock("B", capacity: 32)
    let a = s.makeBlock("A", capacity: 32)
    defer { [a, b].forEach(s.remove) }
    var maxErr: Float = 0
    withPrecision(e, exact: true) {
      for (i, id) in ids.enumerated() {
        e.model.forward(tokens: [id], views: [i < 5 ? [a] : [a, b]], store: s, logitsFor: [0])
        for j in 0..<whole[i].count { maxErr = max(maxErr, abs(e.model.logits(0)[j] - whole[i][j])) }
      }
    }
    #expect(maxErr <= 1e-4, "\(maxErr)")
  }

  @Test("prefill in one batch equals token-by-token decoding")
  func prefillEqualsDecode() throws {
    let e = try Engine(path: Paths.fixture("tiny-llama.gguf"), threads: 2)
    let ids: [Int32] = Array([1, 40, 75, 82, 103, 36, 268, 262, 2, 13, 266, 265, 50, 60, 70, 80, 90, 100, 110, 120].prefix(20))
    let step = withPrecision(e, exact: true) { logitsAllPositions(e, ids) }
    let b = e.store.makeBlock("p", capacity: 32)
    defer { e.store.remove(b) }
    let last = withPrecision(e, exact: true) { e.model.prefill(ids, view: [b], store: e.store)! }
    for i in 0..<last.count { #expect(abs(last[i] - step[ids.count - 1][i]) <= 1e-4) }
  }

  @Test("a batched 2-row step equals two 1-row steps; a row sees other blocks as before the step")
  func batchedRowsEqualSingleRows() throws {
    let e = try Engine(path: Paths.fixture("tiny-qwen3.gguf"), threads: 2)
    let s = e.store
    func setup() -> (BlockID, BlockID, BlockID) {
      let p = s.makeBlock("p", capacity: 16)
      let t = s.makeBlock("t", capacity: 16)
      let w = s.makeBlock("w", capacity: 16)
      e.model.prefill([1, 40, 75, 82], view: [p], store: s, wantLogits: false)
      e.model.prefill([103, 36], view: [p, w, t], store: s, wantLogits: false)
      e.model.prefill([268], view: [p, t, w], store: s, wantLogits: false)
      return (p, t, w)
    }
    withPrecision(e, exact: true) {
      let (p1, t1, w1) = setup()
      e.model.forward(tokens: [50, 60], views: [[p1, w1, t1], [p1, t1, w1]], store: s, logitsFor: [0, 1])
      let batched = [Array(e.model.logits(0)), Array(e.model.logits(1))]
      [p1, t1, w1].forEach(s.remove)
      let (p2, t2, w2) = setup()
      // Row 2 alone, before row 1 is appended (so it sees the same blocks as in the batch).
      e.model.forward(tokens: [60], views: [[p2, t2, w2]], store: s, logitsFor: [0])
      let second = Array(e.model.logits(0))
      s.truncate(w2, to: 1)
      e.model.forward(tokens: [50], views: [[p2, w2, t2]], store: s, logitsFor: [0])
      let first = Array(e.model.logits(0))
      for i in 0..<first.count {
        #expect(abs(first[i] - batched[0][i]) <= 1e-4)
        #expect(abs(second[i] - batched[1][i]) <= 1e-4)
      }
      [p2, t2, w2].forEach(s.remove)
    }
  }

  @Test func truncateUndoesTokens() throws {
    let e = try Engine(path: Paths.fixture("tiny-llama.gguf"), threads: 2)
    let b = e.store.makeBlock("x", capacity: 16)
    e.model.prefill([1, 40, 75], view: [b], store: e.store, wantLogits: false)
    e.model.forward(tokens: [82], views: [[b]], store: e.store, logitsFor: [0])
    let before = Array(e.model.logits(0))
    e.model.forward(tokens: [90], views: [[b]], store: e.store, logitsFor: [])
    e.model.forward(tokens: [91], views: [[b]], store: e.store, logitsFor: [])
    #expect(e.store.length(b) == 6)
    e.store.truncate(b, to: 3)
    e.model.forward(tokens: [82], views: [[b]], store: e.store, logitsFor: [0])
    #expect(Array(e.model.logits(0)) == before)
  }

  @Test func samplerIsSeededAndMasks() {
    var logits: [Float] = [1, 5, 3, 2, 4]
    var s = Sampler(forbidden: [1])
    let pick = logits.withUnsafeMutableBufferPointer { s.sample($0) }
    #expect(pick == 4)
    #expect(s.blockedCount == 1)
    func run(_ seed: UInt64) -> [Int32] {
      var s = Sampler(options: .init(temperature: 1, topK: 3, topP: 0.9), seed: seed)
      return (0..<20).map { _ in
        var l: [Float] = [1, 5, 3, 2, 4]
        return l.withUnsafeMutableBufferPointer { s.sample($0) }
      }
    }
    #expect(run(1) == run(1))
    #expect(Set(run(1) + run(2)).isSubset(of: [1, 2, 4]))
    _ = logits
  }
}
