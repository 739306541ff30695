/// Hyper-parameters read from GGUF metadata (key in the comment of each field), validated.
public struct ModelConfig: Sendable, Equatable {
  public enum Architecture: String, Sendable { case llama, qwen2, qwen3 }

  public let architecture: Architecture  // general.architecture
  public let name: String  // general.name
  public let layers: Int  // {arch}.block_count
  public let embedding: Int  // {arch}.embedding_length
  public let feedForward: Int  // {arch}.feed_forward_length
  public let heads: Int  // {arch}.attention.head_count
  public let kvHeads: Int  // {arch}.attention.head_count_kv
  public let headDim: Int  // {arch}.attention.key_length (default embedding / heads)
  public let ropeDims: Int  // {arch}.rope.dimension_count (default headDim)
  public let ropeBase: Double  // {arch}.rope.freq_base
  public let rmsEps: Float  // {arch}.attention.layer_norm_rms_epsilon
  public let contextLength: Int  // {arch}.context_length
  public let vocabSize: Int  // tokenizer.ggml.tokens count

  public var qDim: Int { heads * headDim }
  public var kvDim: Int { kvHeads * headDim }
  /// llama files use adjacent-pair RoPE (the converter permuted Q/K); qwen2/qwen3 use NEOX halves.
  public var ropeNeox: Bool { architecture != .llama }

  public init(file: GGUFFile) throws {
    let archName = try file.string("general.architecture")
    guard let arch = Architecture(rawValue: archName) else { throw GGUFError.unsupportedArchitecture(archName) }
    architecture = arch
    name = file.metadata["general.name"]?.string ?? archName
    let p = archName + "."
    layers = try file.int(p + "block_count")
    embedding = try file.int(p + "embedding_length")
    feedForward = try file.int(p + "feed_forward_length")
    heads = try file.int(p + "attention.head_count")
    kvHeads = (try? file.int(p + "attention.head_count_kv")) ?? heads
    guard heads > 0 else { throw GGUFError.badConfig("attention.head_count is 0") }
    headDim = (try? file.int(p + "attention.key_length")) ?? embedding / heads
    ropeDims = (try? file.int(p + "rope.dimension_count")) ?? headDim
    ropeBase = (try? file.double(p + "rope.freq_base")) ?? 10000
    rmsEps = Float(try file.double(p + "attention.layer_norm_rms_epsilon"))
    contextLength = (try? file.int(p + "context_length")) ?? 4096
    vocabSize = try file.strings("tokenizer.ggml.tokens").count
    guard layers > 0, layers < 1000, embedding > 0, feedForward > 0, kvHeads > 0, heads % kvHeads == 0,
      headDim > 0, headDim <= 1024, ropeDims % 2 == 0, ropeDims <= headDim, vocabSize > 0
    else {
      throw GGUFError.badConfig(
        "layers \(layers), embedding \(embedding), heads \(heads)/\(kvHeads), head_dim \(headDim), rope dims \(ropeDims)")
    }
    // Values no model can have: every norm would divide by zero or NaN, every rotation be NaN.
    guard rmsEps.isFinite, rmsEps > 0, rmsEps < 1 else {
      throw GGUFError.badConfig("\(p)attention.layer_norm_rms_epsilon must be a number above 0 and below 1, got \(rmsEps)")
    }
    guard ropeBase.isFinite, ropeBase > 1 else {
      throw GGUFError.badConfig("\(p)rope.freq_base must be a number above 1, got \(ropeBase)")
    }
    guard contextLength > 0 else { throw GGUFError.badConfig("\(p)context_length must be positive, got \(contextLength)") }
  }
}
