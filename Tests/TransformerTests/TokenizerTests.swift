import Foundation
import Testing
import Transformer

@Suite struct TokenizerTests {
  static func goldens(_ name: String) throws -> [(String, [Int32])] {
    let arr = try #require(try loadJSON(name) as? [[String: Any]])
    return arr.map { ($0["text"] as! String, ($0["ids"] as! [Int]).map(Int32.init)) }
  }

  @Test("SmolLM2 (smollm pre-tokenizer) ids equal ref_llama.py on the committed strings")
  func smollm() throws {
    let e = try Shared.engine(Paths.smollm)
    let g = try Self.goldens("smollm-tokenizer.json")
    #expect(g.count >= 50)
    for (text, ids) in g {
      #expect(e.tokenizer.encode(text) == ids, "\(text.debugDescription)")
      #expect(e.tokenizer.decode(ids) == text || ids.isEmpty)
    }
  }

  @Test("Qwen2.5 (qwen2 pre-tokenizer) ids equal ref_llama.py on the committed strings")
  func qwen() throws {
    let e = try Shared.engine(Paths.qwen)
    for (text, ids) in try Self.goldens("qwen2-tokenizer.json") {
      #expect(e.tokenizer.encode(text) == ids, "\(text.debugDescription)")
    }
  }

  @Test func streamingDecoderNeverSplitsACharacter() throws {
    let e = try Shared.engine(Paths.smollm)
    let text = "emoji 🍎 and 日本 ok"
    let ids = e.tokenizer.encode(text)
    var d = StreamDecoder()
    var pieces: [String] = []
    for id in ids { pieces.append(d.push(e.tokenizer.bytes(of: id))) }
    pieces.append(d.flush())
    #expect(pieces.joined() == text)
    #expect(!pieces.contains { $0.contains("\u{FFFD}") })
    // the apple is several byte tokens: the piece that completes it holds it whole
    #expect(pieces.contains { $0.contains("🍎") })
  }

  @Test func streamDecoderHoldsIncompleteBytes() {
    var d = StreamDecoder()
    let apple = Array("🍎".utf8)
    #expect(d.push(Array(apple[0..<2])) == "")
    #expect(d.push(Array(apple[2...])) == "🍎")
    #expect(d.push([0xE6]) == "")
    #expect(d.flush() == "\u{FFFD}")
  }

  @Test func chatTemplateUsesTheDefaultSystemMessage() throws {
    let e = try Shared.engine(Paths.smollm)
    let s = e.template.render([.init(role: "user", content: "Hi")])
    #expect(
      s
        == "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    )
  }

  @Test func preTokenizerSplitsConcatenateBack() throws {
    for name in ["smollm", "qwen2", "llama-bpe", "gpt2"] {
      let p = try PreTokenizer(name: name)
      for s in ["a  b\n\n c", "x=12345;  ", "I'M here's", "日本語 🍎 ok\r\n"] {
        #expect(p.split(s).map { String($0) }.joined() == s, "\(name) \(s.debugDescription)")
      }
    }
    #expect(throws: TokenizerError.self) { try PreTokenizer(name: "nope") }
  }
}
