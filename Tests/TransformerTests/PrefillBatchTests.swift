import Foundation
import Testing
import Transformer

/// `Model.prefill(batch:)`: prefills of different blocks in one pass leave what the same prefills
/// one after the other leave — bit for bit while the pass stays within `batchRowsWithSameBits`
/// rows (the multi-row kernels), within the GEMM's rounding beyond. Compared through what the
/// caches give: the logits the batch returns and those of one more token in every view.
@Suite(.serialized) struct PrefillBatchTests {
  /// Two prefixes, then `parts` (lengths) each into its own block after one of them, apart or
  /// batched; returns the asked part's logits and a next token's logits in every part's view.
  static func run(_ e: Engine, parts lengths: [Int], batched: Bool) -> [[Float]] {
    let s = e.store
    let p = s.makeBlock("p", capacity: 16), q = s.makeBlock("q", capacity: 16)
    let blocks = lengths.map { s.makeBlock("part", capacity: $0 + 2) }
    defer { ([p, q] + blocks).forEach(s.remove) }
    e.model.prefill([1, 40, 75, 82, 103, 36], view: [p], store: s, wantLogits: false)
    e.model.prefill([268, 262, 13], view: [q], store: s, wantLogits: false)
    let parts = lengths.enumerated().map { i, n in
      (tokens: (0..<n).map { Int32(300 + 37 * i + 11 * $0) }, view: [i % 2 == 0 ? p : q, blocks[i]])
    }
    var out: [[Float]] = []
    if batched {
      out.append(e.model.prefill(batch: parts, store: s, logitsOf: 0)!)
    } else {
      for (i, part) in parts.enumerated() {
        let l = e.model.prefill(part.tokens, view: part.view, store: s, wantLogits: i == 0)
        if i == 0 { out.append(l!) }
      }
    }
    for part in parts {
      e.model.forward(tokens: [500], views: [part.view], store: s, logitsFor: [0])
      out.append(Array(e.model.logits(0)))
    }
    return out
  }

  static var models: [String] { [Paths.smollm, Paths.qwen].filter { FileManager.default.fileExists(atPath: $0) } }

  @Test("parts within batchRowsWithSameBits: the same bits as apart (a heard word into both inputs)")
  func sameBits() throws {
    try #require(!Self.models.isEmpty, "no model in Assets: run scripts/setup.sh")
    for path in Self.models {
      let e = try Engine(path: path, threads: 2)  // its own: an engine serves one thread at a time
      for lengths in [[1, 1], [2, 2], [1, 2, 1]] where lengths.reduce(0, +) <= Model.batchRowsWithSameBits {
        let apart = Self.run(e, parts: lengths, batched: false)
        let together = Self.run(e, parts: lengths, batched: true)
        #expect(apart == together, "\(path) \(lengths)")
      }
    }
  }

  @Test("longer parts (the request check beside two mids): close, the same greedy tokens")
  func close() throws {
    try #require(!Self.models.isEmpty, "no model in Assets: run scripts/setup.sh")
    for path in Self.models {
      let e = try Engine(path: path, threads: 2)  // its own: an engine serves one thread at a time
      let apart = Self.run(e, parts: [22, 4, 5], batched: false)
      let together = Self.run(e, parts: [22, 4, 5], batched: true)
      for (a, b) in zip(apart, together) {
        // The 8-bit activations' own deviation from float is allowed a mean of 0.3 (ModelTests);
        // the GEMM's other order of the scales' sums (which can move an activation's 8-bit
        // rounding in a later layer) is allowed half of that (measured: 0.06–0.07 on the 0.5B).
        let mean = zip(a, b).reduce(0) { $0 + abs($1.0 - $1.1) } / Float(a.count)
        #expect(mean <= 0.15, "\(path): mean |Δ| \(mean)")
        #expect(a.firstIndex(of: a.max()!) == b.firstIndex(of: b.max()!), "\(path): greedy token")
      }
    }
  }
}
