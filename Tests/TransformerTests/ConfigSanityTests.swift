import Foundation
import Testing
import Transformer

/// GGUF values no model can have are load errors that name the key, the range and the value.
@Suite struct ConfigSanityTests {
  /// `good` with the float32 value of metadata `key` set to `value`.
  static func settingFloat(_ key: String, to value: Float, in good: [UInt8]) throws -> [UInt8] {
    let k = Array(key.utf8)
    let at = try #require((0...(good.count - k.count)).first { Array(good[$0..<($0 + k.count)]) == k }, "no key \(key)")
    let typeAt = at + k.count
    #expect(good[typeAt] == 6, "\(key) is a float32")  // GGUF value type 6: float32
    var b = good
    withUnsafeBytes(of: value.bitPattern.littleEndian) { b.replaceSubrange((typeAt + 4)..<(typeAt + 8), with: $0) }
    return b
  }

  @Test(
    "bad rms epsilon or rope base",
    arguments: [
      (
        "llama.attention.layer_norm_rms_epsilon", Float.nan,
        "layer_norm_rms_epsilon must be a number above 0 and below 1, got nan"
      ),
      ("llama.attention.layer_norm_rms_epsilon", 0, "layer_norm_rms_epsilon must be a number above 0 and below 1, got 0.0"),
      (
        "llama.attention.layer_norm_rms_epsilon", -1e-5, "layer_norm_rms_epsilon must be a number above 0 and below 1, got -1e-05"
      ),
      ("llama.rope.freq_base", 0, "rope.freq_base must be a number above 1, got 0.0"),
      ("llama.rope.freq_base", -10000, "rope.freq_base must be a number above 1, got -10000.0"),
      ("llama.rope.freq_base", Float.infinity, "rope.freq_base must be a number above 1, got inf"),
    ])
  func badValue(key: String, value: Float, message: String) throws {
    let good = Array(try Data(contentsOf: URL(fileURLWithPath: Paths.fixture("tiny-llama.gguf"))))
    #expect(throws: Never.self) { _ = try ModelConfig(file: try GGUFFile(bytes: good)) }
    let b = try Self.settingFloat(key, to: value, in: good)
    do {
      _ = try Model(file: try GGUFFile(bytes: b))
      Issue.record("\(key) = \(value) loaded")
    } catch {
      #expect("\(error)".contains(message), "\(error)")
    }
  }

  /// Found by the GGUF fuzzer: a token id too large for Int32 stopped the loader at a conversion.
  @Test(
    "token ids out of range are tokenizer errors",
    arguments: [
      ("tokenizer.ggml.bos_token_id", UInt32.max, "tokenizer.ggml.bos_token_id is 4294967295, expected a token id from 0 to"),
      ("tokenizer.ggml.eos_token_id", 1_000_000, "tokenizer.ggml.eos_token_id is 1000000, expected a token id from 0 to"),
    ])
  func badTokenID(key: String, value: UInt32, message: String) throws {
    let good = Array(try Data(contentsOf: URL(fileURLWithPath: Paths.fixture("tiny-llama.gguf"))))
    let k = Array(key.utf8)
    let at = try #require((0...(good.count - k.count)).first { Array(good[$0..<($0 + k.count)]) == k })
    #expect(good[at + k.count] == 4)  // GGUF value type 4: uint32
    var b = good
    withUnsafeBytes(of: value.littleEndian) { b.replaceSubrange((at + k.count + 4)..<(at + k.count + 8), with: $0) }
    #expect(throws: Never.self) { _ = try Tokenizer(file: try GGUFFile(bytes: good)) }
    do {
      _ = try Tokenizer(file: try GGUFFile(bytes: b))
      Issue.record("\(key) = \(value) loaded")
    } catch {
      #expect("\(error)".contains(message), "\(error)")
    }
  }
}
