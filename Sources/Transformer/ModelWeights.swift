import Kernels

/// The model's tensors, validated against the config and left in their quantized form inside the
/// mapped file (no float copy).
public struct ModelWeights: @unchecked Sendable {
  public struct Layer: @unchecked Sendable {
    public let attnNorm: UnsafePointer<Float>
    public let wq, wk, wv, wo: QuantMatrix
    public let bq, bk, bv: UnsafePointer<Float>?  // qwen2
    public let qNorm, kNorm: UnsafePointer<Float>?  // qwen3 (per head)
    public let ffnNorm: UnsafePointer<Float>
    public let gate, up, down: QuantMatrix
  }

  public let tokenEmbedding: QuantMatrix
  public let output: QuantMatrix  // token_embd when tied
  public let outputNorm: UnsafePointer<Float>
  public let layers: [Layer]
  public let tiedOutput: Bool
  /// Owns the packed copies (nil: not packed).
  public let packedWeights: PackedWeights?

  /// `repack`: copy the matrices that have a packed layout into it (`PackedWeights`), when the
  /// kernels run on AVX-512 VNNI.
  public init(file: GGUFFile, config c: ModelConfig, repack: Bool = true) throws {
    let packer = repack && PackedWeights.applies ? PackedWeights() : nil
    packedWeights = packer
    func tensor(_ name: String, _ shape: [Int]) throws -> GGUFTensorInfo {
      guard let t = file.tensors[name] else { throw GGUFError.missingTensor(name) }
      guard t.dims == shape else { throw GGUFError.wrongTensorShape(name: name, expected: shape, got: t.dims) }
      return t
    }
    func matrix(_ name: String, cols: Int, rows: Int, pack: Bool = true) throws -> QuantMatrix {
      let t = try tensor(name, [cols, rows])
      let m = QuantMatrix(type: Int32(t.type.rawValue), data: file.pointer(t), rows: rows, cols: cols)
      return pack ? packer?.pack(m) ?? m : m
    }
    func vector(_ name: String, _ n: Int) throws -> UnsafePointer<Float> {
      let t = try tensor(name, [n])
      guard t.type == .f32 else { throw GGUFError.unsupportedTensorType(name: name, type: t.type.name) }
      return file.pointer(t).assumingMemoryBound(to: Float.self)
    }
    func optionalVector(_ name: String, _ n: Int) throws -> UnsafePointer<Float>? {
      file.tensors[name] == nil ? nil : try vector(name, n)
    }
    // The embedding is only looked up row by row; it is packed only when it is also the output.
    let tied = file.tensors["output.weight"] == nil
    tokenEmbedding = try matrix("token_embd.weight", cols: c.embedding, rows: c.vocabSize, pack: tied)
    if file.tensors["output.weight"] != nil {
      output = try matrix("output.weight", cols: c.embedding, rows: c.vocabSize)
      tiedOutput = false
    } else {
      output = tokenEmbedding
      tiedOutput = true
    }
    outputNorm = try vector("output_norm.weight", c.embedding)
    var ls: [Layer] = []
    for i in 0..<c.layers {
      let p = "blk.\(i)."
      let qwen3 = c.architecture == .qwen3
      ls.append(
        Layer(
          attnNorm: try vector(p + "attn_norm.weight", c.embedding),
          wq: try matrix(p + "attn_q.weight", cols: c.embedding, rows: c.qDim),
          wk: try matrix(p + "attn_k.weight", cols: c.embedding, rows: c.kvDim),
          wv: try matrix(p + "attn_v.weight", cols: c.embedding, rows: c.kvDim),
          wo: try matrix(p + "attn_output.weight", cols: c.qDim, rows: c.embedding),
          bq: try optionalVector(p + "attn_q.bias", c.qDim),
          bk: try optionalVector(p + "attn_k.bias", c.kvDim),
          bv: try optionalVector(p + "attn_v.bias", c.kvDim),
          qNorm: qwen3 ? try vector(p + "attn_q_norm.weight", c.headDim) : nil,
          kNorm: qwen3 ? try vector(p + "attn_k_norm.weight", c.headDim) : nil,
          ffnNorm: try vector(p + "ffn_norm.weight", c.embedding),
          gate: try matrix(p + "ffn_gate.weight", cols: c.embedding, rows: c.feedForward),
          up: try matrix(p + "ffn_up.weight", cols: c.embedding, rows: c.feedForward),
          down: try matrix(p + "ffn_down.weight", cols: c.feedForward, rows: c.embedding)))
    }
    layers = ls
  }

  /// Tensor types in use and how many tensors of each (for `bench`).
  public static func typeSummary(_ file: GGUFFile) -> String {
    var counts: [String: Int] = [:]
    for t in file.tensors.values { counts[t.type.name, default: 0] += 1 }
    return counts.sorted { $0.value > $1.value }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
  }
}
