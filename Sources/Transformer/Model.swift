import CKernels
import Foundation
import Kernels

/// A Llama/Qwen2/Qwen3 transformer over a block KV cache.
///
/// `forward` runs R rows in one pass over the weights. Each row has a token and a *view* (an
/// ordered list of blocks); its token is appended to the view's last block (the write block).
/// Attention rotates the query once per block by (view position − block offset) and takes one
/// softmax over the whole view (paper §3.3), so keys are never re-rotated.
///
/// Rows that write to the same block get consecutive positions in row order (this is prefill,
/// causal inside the block). In other blocks a row sees the tokens that were there before the
/// step: streams see each other's tokens from the previous step on (DECISIONS.md).
public final class Model: @unchecked Sendable {
  public let file: GGUFFile
  public let config: ModelConfig
  public let weights: ModelWeights
  public let maxRows: Int
  public let maxContext: Int
  /// float32 activations in every matmul (exact to ~1e-4) instead of 8-bit activation dot
  /// products (llama.cpp's numerics, faster). Per model, so concurrent users do not interfere.
  public var exactActivations = false
  let rope: RopeTable

  // Activations, allocated once. Shapes in comments: (rows, width).
  private let x: UnsafeMutablePointer<Float>  // (maxRows, E) residual stream
  private let xb: UnsafeMutablePointer<Float>  // (maxRows, E) normed input
  private let q: UnsafeMutablePointer<Float>  // (maxRows, qDim)
  private let k: UnsafeMutablePointer<Float>  // (maxRows, kvDim)
  private let v: UnsafeMutablePointer<Float>  // (maxRows, kvDim)
  private let att: UnsafeMutablePointer<Float>  // (maxRows, qDim) attention output
  private let hb: UnsafeMutablePointer<Float>  // (maxRows, FF) gate
  private let hb2: UnsafeMutablePointer<Float>  // (maxRows, FF) up
  private let blasScratch: UnsafeMutablePointer<Float>
  private let attScratch: UnsafeMutablePointer<Float>
  private let logitRowsCapacity = 4
  private let logitBuffer: UnsafeMutablePointer<Float>  // (4, vocab)
  private var frags: UnsafeMutablePointer<av_frag>
  private var fragCapacity: Int
  private var fragStart: UnsafeMutablePointer<Int32>
  private var cs: UnsafeMutablePointer<Float>  // (frags, ropeDims): cos then sin
  private var rowTarget: [BlockID] = []
  private var rowPos: [Int] = []  // block-relative position of each row's new token
  private var rowCS: [Int] = []  // cs index of each row's write-block fragment
  private var fragBlocks: [BlockID] = []
  private var logitRows: [Int] = []

  /// Loads the model in `file`. `maxRows` bounds one forward call (prefill is chunked to it);
  /// `repack` as in `ModelWeights`.
  public init(file: GGUFFile, maxRows: Int = 256, maxContext: Int? = nil, repack: Bool = true) throws {
    self.file = file
    config = try ModelConfig(file: file)
    weights = try ModelWeights(file: file, config: config, repack: repack)
    self.maxRows = maxRows
    self.maxContext = min(maxContext ?? 8192, max(config.contextLength, 512))
    rope = RopeTable(nRot: config.ropeDims, base: config.ropeBase)
    let c = config
    func buf(_ n: Int) -> UnsafeMutablePointer<Float> {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
      p.initialize(repeating: 0, count: max(n, 1))
      return p
    }
    x = buf(maxRows * c.embedding)
    xb = buf(maxRows * max(c.embedding, c.qDim))
    q = buf(maxRows * c.qDim)
    k = buf(maxRows * c.kvDim)
    v = buf(maxRows * c.kvDim)
    att = buf(maxRows * c.qDim)
    hb = buf(maxRows * c.feedForward)
    hb2 = buf(maxRows * c.feedForward)
    let threads = 64
    blasScratch = buf(Matmul.scratchSize(maxCols: max(c.feedForward, c.embedding, c.qDim), threads: max(2, KernelThreads.count)))
    attScratch = buf(threads * self.maxContext * (c.heads / c.kvHeads))
    logitBuffer = buf(logitRowsCapacity * c.vocabSize)
    fragCapacity = maxRows * 8
    frags = .allocate(capacity: fragCapacity)
    fragStart = .allocate(capacity: maxRows + 1)
    cs = buf(fragCapacity * c.ropeDims)
    _ = threads
  }

  /// Convenience: maps and loads a model from a path.
  public convenience init(path: String, maxRows: Int = 256, maxContext: Int? = nil) throws {
    try self.init(file: try GGUFFile(path: path), maxRows: maxRows, maxContext: maxContext)
  }

  /// The logits of the i-th row asked for in the last `forward` (valid until the next call).
  public func logits(_ i: Int) -> UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(start: logitBuffer + i * config.vocabSize, count: config.vocabSize)
  }

  /// One batched step. `views[r]` is row r's view; its last block receives `tokens[r]`.
  /// Logits are computed for the rows listed in `logitsFor` (at most 4), in that order.
  public func forward(tokens: [Int32], views: [[BlockID]], store: KVStore, logitsFor: [Int]) {
    precondition(tokens.count == views.count && tokens.count <= maxRows && !tokens.isEmpty)
    precondition(logitsFor.count <= logitRowsCapacity && logitsFor.allSatisfy { $0 < tokens.count })
    let c = config
    let R = tokens.count
    let E = c.embedding
    planPositions(views: views, store: store)
    for (r, t) in tokens.enumerated() {
      precondition(t >= 0 && Int(t) < c.vocabSize, "token id \(t) out of range")
      weights.tokenEmbedding.dequantizeRow(Int(t), into: x + r * E)
    }
    let neox: Int32 = c.ropeNeox ? 1 : 0
    let scale = 1 / Float(c.headDim).squareRoot()
    for (l, w) in weights.layers.enumerated() {
      // Attention: norm → Q,K,V → (biases, QK-norm) → RoPE on K → write K/V → attend → out proj.
      for r in 0..<R { Ops.rmsNorm(x + r * E, w.attnNorm, xb + r * E, E, eps: c.rmsEps) }
      Matmul.multiply(
        (w.wq, q, c.qDim), (w.wk, k, c.kvDim), (w.wv, v, c.kvDim), x: xb, ldx: E, rows: R, scratch: blasScratch,
        exact: exactActivations)
      for r in 0..<R {
        if let b = w.bq { Ops.add(q + r * c.qDim, b, c.qDim) }
        if let b = w.bk { Ops.add(k + r * c.kvDim, b, c.kvDim) }
        if let b = w.bv { Ops.add(v + r * c.kvDim, b, c.kvDim) }
        if let qn = w.qNorm, let kn = w.kNorm {  // qwen3: per-head RMSNorm before RoPE
          for h in 0..<c.heads {
            Ops.rmsNorm(q + r * c.qDim + h * c.headDim, qn, q + r * c.qDim + h * c.headDim, c.headDim, eps: c.rmsEps)
          }
          for h in 0..<c.kvHeads {
            Ops.rmsNorm(k + r * c.kvDim + h * c.headDim, kn, k + r * c.kvDim + h * c.headDim, c.headDim, eps: c.rmsEps)
          }
        }
        let kr = k + r * c.kvDim
        av_rope(kr, Int32(c.kvHeads), Int32(c.headDim), Int32(c.ropeDims), cs + rowCS[r] * c.ropeDims, neox)
        let pos = rowPos[r]
        let at = pos * c.kvDim * store.bytesPerValue
        av_store_kv(kr, store.keys(rowTarget[r], layer: l) + at, Int32(c.kvDim), store.f16 ? 1 : 0)
        av_store_kv(v + r * c.kvDim, store.values(rowTarget[r], layer: l) + at, Int32(c.kvDim), store.f16 ? 1 : 0)
      }
      for f in 0..<fragBlocks.count {
        frags[f].k = UnsafeRawPointer(store.keys(fragBlocks[f], layer: l))
        frags[f].v = UnsafeRawPointer(store.values(fragBlocks[f], layer: l))
      }
      av_attention(
        Int32(R), q, frags, fragStart, cs, Int32(c.heads), Int32(c.kvHeads), Int32(c.headDim),
        Int32(c.ropeDims), neox, scale, att, attScratch, Int32(maxContext), store.f16 ? 1 : 0)
      matmul(w.wo, att, c.qDim, R, xb, E)
      for r in 0..<R { Ops.add(x + r * E, xb + r * E, E) }
      // Feed-forward: norm → SwiGLU → down → residual.
      for r in 0..<R { Ops.rmsNorm(x + r * E, w.ffnNorm, xb + r * E, E, eps: c.rmsEps) }
      Matmul.multiply(
        (w.gate, hb, c.feedForward), (w.up, hb2, c.feedForward), x: xb, ldx: E, rows: R, scratch: blasScratch,
        exact: exactActivations)
      av_swiglu(hb, hb2, Int32(c.feedForward), Int32(R), Int32(c.feedForward))
      matmul(w.down, hb, c.feedForward, R, xb, E)
      for r in 0..<R { Ops.add(x + r * E, xb + r * E, E) }
    }
    for r in 0..<R { store.setLength(rowTarget[r], max(store.length(rowTarget[r]), rowPos[r] + 1)) }
    // Output head for the requested rows only.
    for (i, r) in logitsFor.enumerated() { Ops.rmsNorm(x + r * E, weights.outputNorm, xb + i * E, E, eps: c.rmsEps) }
    if !logitsFor.isEmpty {
      Matmul.multiply(
        weights.output, x: xb, ldx: E, rows: logitsFor.count, y: logitBuffer, ldy: c.vocabSize, scratch: nil,
        exact: exactActivations)
    }
  }

  /// Prefills `tokens` into the last block of `view` (causal inside it), in chunks of `maxRows`.
  /// Returns the last token's logits when `wantLogits`.
  @discardableResult
  public func prefill(_ tokens: [Int32], view: [BlockID], store: KVStore, wantLogits: Bool = true) -> [Float]? {
    var start = 0
    while start < tokens.count {
      let end = min(tokens.count, start + maxRows)
      let chunk = Array(tokens[start..<end])
      let last = end == tokens.count && wantLogits
      forward(
        tokens: chunk, views: Array(repeating: view, count: chunk.count), store: store, logitsFor: last ? [chunk.count - 1] : [])
      start = end
    }
    return wantLogits && !tokens.isEmpty ? Array(logits(0)) : nil
  }

  /// Rows a `prefill(batch:)` pass may hold and still give every row the bits of its own prefill.
  public static var batchRowsWithSameBits: Int { Matmul.rowsWithoutGEMM }

  /// Prefills several blocks in one pass: each `(tokens, view)` into its view's last block
  /// (causal inside it), as `prefill` would one after the other, but a weight is read and decoded
  /// once for all of their rows (on a 2-core AVX2 EPYC, `bench --prefill-batches`: 22+4+5 tokens
  /// 1.20×, 1+1 1.52× faster). Each pass holds up to `maxRows` rows (a longer part is chunked as
  /// `prefill` does). The rows take the kernels of the pass's row count: the same bits as apart
  /// while that is at most `batchRowsWithSameBits`, within the GEMM's rounding (1e-4)
  /// otherwise. No part may read a block another part writes. Returns the logits after the last
  /// token of part `logitsOf` (nil: none).
  @discardableResult
  public func prefill(batch: [(tokens: [Int32], view: [BlockID])], store: KVStore, logitsOf: Int? = nil) -> [Float]? {
    precondition(logitsOf.map { batch.indices.contains($0) && !batch[$0].tokens.isEmpty } ?? true)
    let targets = batch.filter { !$0.tokens.isEmpty }.compactMap { $0.view.last }
    precondition(Set(targets).count == targets.count, "two parts of a batch write one block")
    precondition(
      batch.allSatisfy { part in part.view.dropLast().allSatisfy { !targets.contains($0) } },
      "a part of a batch reads a block another part writes")
    var chunks: [(part: Int, range: Range<Int>)] = []  // the chunks `prefill` would make
    for (i, part) in batch.enumerated() {
      for start in stride(from: 0, to: part.tokens.count, by: maxRows) {
        chunks.append((i, start..<min(part.tokens.count, start + maxRows)))
      }
    }
    var result: [Float]? = nil
    var next = 0
    while next < chunks.count {
      var tokens: [Int32] = [], views: [[BlockID]] = [], logitRow: Int? = nil
      while next < chunks.count && tokens.count + chunks[next].range.count <= maxRows {
        let (i, range) = chunks[next]
        tokens += batch[i].tokens[range]
        views += Array(repeating: batch[i].view, count: range.count)
        if i == logitsOf && range.upperBound == batch[i].tokens.count { logitRow = tokens.count - 1 }
        next += 1
      }
      forward(tokens: tokens, views: views, store: store, logitsFor: logitRow.map { [$0] } ?? [])
      if logitRow != nil { result = Array(logits(0)) }
    }
    return result
  }

  private func matmul(
    _ w: QuantMatrix, _ xin: UnsafeMutablePointer<Float>, _ ldx: Int, _ rows: Int, _ y: UnsafeMutablePointer<Float>, _ ldy: Int
  ) {
    Matmul.multiply(w, x: xin, ldx: ldx, rows: rows, y: y, ldy: ldy, scratch: blasScratch, exact: exactActivations)
  }

  /// Works out each row's write position, its fragments and their query rotations.
  private func planPositions(views: [[BlockID]], store: KVStore) {
    let R = views.count
    rowTarget.removeAll(keepingCapacity: true)
    rowPos.removeAll(keepingCapacity: true)
    rowCS.removeAll(keepingCapacity: true)
    fragBlocks.removeAll(keepingCapacity: true)
    var nFrag = 0
    let needed = views.reduce(0) { $0 + $1.count }
    if needed > fragCapacity {
      frags.deallocate()
      cs.deallocate()
      fragCapacity = needed * 2
      frags = .allocate(capacity: fragCapacity)
      cs = .allocate(capacity: fragCapacity * config.ropeDims)
    }
    // No dictionaries or temporary arrays here: this runs every token (the token loop does not
    // allocate; `scripts/alloc-count.sh`).
    for r in 0..<R {
      let view = views[r]
      guard let target = view.last else { preconditionFailure("row \(r) has an empty view") }
      var earlier = 0  // rows before this one writing to the same block (prefill)
      for t in rowTarget where t == target { earlier += 1 }
      let pos = store.length(target) + earlier
      precondition(pos < store.capacity(target), "\(store.name(target)) is full (capacity \(store.capacity(target)))")
      var viewLength = pos
      for i in 0..<(view.count - 1) { viewLength += store.length(view[i]) }
      let queryPos = viewLength  // this token's position in the row's view
      precondition(queryPos < maxContext, "view of \(queryPos + 1) tokens exceeds the context limit \(maxContext)")
      fragStart[r] = Int32(nFrag)
      var blockOffset = 0
      for (i, b) in view.enumerated() {
        let isTarget = i == view.count - 1
        let len = isTarget ? pos + 1 : store.length(b)
        defer { blockOffset += len }
        if len == 0 { continue }
        frags[nFrag] = av_frag(k: nil, v: nil, len: Int32(len), cs: Int32(nFrag))
        rope.fill(position: queryPos - blockOffset, into: cs + nFrag * config.ropeDims)
        if isTarget { rowCS.append(nFrag) }
        fragBlocks.append(b)
        nFrag += 1
      }
      rowTarget.append(target)
      rowPos.append(pos)
    }
    fragStart[R] = Int32(nFrag)
  }
}
