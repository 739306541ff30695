/// ChatML rendering (the SmolLM2, Qwen2.5 and Qwen3 templates), with the default system message
/// the GGUF's Jinja template inserts when a conversation has none.
public struct ChatTemplate: Sendable {
  public struct Message: Sendable, Equatable {
    public var role: String
    public var content: String
    public init(role: String, content: String) {
      self.role = role
      self.content = content
    }
  }

  public let defaultSystem: String?

  public init(defaultSystem: String?) { self.defaultSystem = defaultSystem }

  /// Reads the default system message out of `tokenizer.chat_template`, if the template has one.
  public init(file: GGUFFile) {
    guard let t = file.metadata["tokenizer.chat_template"]?.string else {
      defaultSystem = nil
      return
    }
    let marker = "<|im_start|>system\\n"
    let marker2 = "<|im_start|>system\n"
    for m in [marker, marker2] {
      if let r = t.range(of: m), let end = t.range(of: "<|im_end|>", range: r.upperBound..<t.endIndex) {
        let s = String(t[r.upperBound..<end.lowerBound])
        if !s.contains("{") && !s.contains("'") { defaultSystem = s; return }
      }
    }
    defaultSystem = nil
  }

  public func render(_ messages: [Message], addGenerationPrompt: Bool = true) -> String {
    var out = ""
    if let sys = defaultSystem, messages.first?.role != "system" {
      out += "<|im_start|>system\n\(sys)<|im_end|>\n"
    }
    for m in messages { out += "<|im_start|>\(m.role)\n\(m.content)<|im_end|>\n" }
    if addGenerationPrompt { out += "<|im_start|>assistant\n" }
    return out
  }
}
