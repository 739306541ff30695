import Foundation
import Kernels

/// A loaded model with its tokenizer, chat template and a KV store: what commands work with.
public final class Engine: @unchecked Sendable {
  public let model: Model
  public let tokenizer: Tokenizer
  public let template: ChatTemplate
  public let store: KVStore
  public let path: String
  public let loadSeconds: Double

  /// `kvF16`: keep the KV cache in f16 (half the memory and attention bandwidth) instead of f32.
  /// `repack`: copy the weights that have a packed layout into it at load (`PackedWeights`).
  public init(path: String, threads: Int = 2, maxContext: Int? = nil, kvF16: Bool = false, repack: Bool = true) throws {
    let t0 = Date()
    KernelThreads.configure(threads: threads)
    let file = try GGUFFile(path: path)
    model = try Model(file: file, maxContext: maxContext, repack: repack)
    tokenizer = try Tokenizer(file: file)
    template = ChatTemplate(file: file)
    store = KVStore(config: model.config, f16: kvF16)
    self.path = path
    loadSeconds = Date().timeIntervalSince(t0)
  }

  /// Token ids that end a turn: eos, `<|im_end|>`, `<|endoftext|>`.
  public var stopTokens: Set<Int32> {
    var s: Set<Int32> = [tokenizer.eos]
    for t in ["<|im_end|>", "<|endoftext|>"] { if let id = tokenizer.special[t] { s.insert(id) } }
    return s
  }
}
