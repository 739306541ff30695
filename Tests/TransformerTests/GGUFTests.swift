import Foundation
import Testing
import Transformer

@Suite struct GGUFTests {
  static func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: Paths.fixtures.appendingPathComponent(name)))
  }

  @Test func readsMetadataAndTensors() throws {
    let f = try GGUFFile(path: Paths.fixture("tiny-qwen2.gguf"))
    #expect(f.version == 3)
    #expect(try f.string("general.architecture") == "qwen2")
    #expect(try f.int("qwen2.block_count") == 2)
    #expect(f.tensors["blk.0.attn_q.weight"]?.dims == [64, 64])
    #expect(f.tensors["blk.0.attn_q.weight"]?.type == .q5_0)
    #expect(f.alignment == 32)
    for t in f.tensors.values { #expect(t.offset % f.alignment == 0) }
  }

  @Test func corruptFilesGiveClearErrors() throws {
    let good = try Self.bytes("tiny-llama.gguf")
    func err(_ b: [UInt8]) -> String {
      do {
        let f = try GGUFFile(bytes: b)
        _ = try Model(file: f)
        return "no error"
      } catch { return "\(error)" }
    }
    var bad = good
    bad[0] = UInt8(ascii: "X")
    #expect(err(bad).contains("not a GGUF file"))
    bad = good
    bad[4] = 9
    #expect(err(bad).contains("unsupported GGUF version 9"))
    #expect(err(Array(good.prefix(100))).contains("truncated"))
    #expect(err(Array(good.prefix(good.count - 10))).contains("past the end of the file"))
    #expect(err([]).contains("truncated"))
  }

  /// Rewrites one metadata string value in place (same length) to build a specific bad file.
  static func replacing(_ b: [UInt8], _ old: String, _ new: String) -> [UInt8] {
    precondition(old.utf8.count == new.utf8.count)
    let o = Array(old.utf8), n = Array(new.utf8)
    var out = b
    for i in 0...(b.count - o.count) where Array(b[i..<(i + o.count)]) == o {
      out.replaceSubrange(i..<(i + o.count), with: n)
      return out
    }
    return out
  }

  @Test func semanticErrors() throws {
    let good = try Self.bytes("tiny-llama.gguf")
    func err(_ b: [UInt8]) -> String {
      do { _ = try Model(file: try GGUFFile(bytes: b)); return "no error" } catch { return "\(error)" }
    }
    #expect(
      err(Self.replacing(good, "llama.block_count", "llama.blokk_count")).contains("missing metadata key 'llama.block_count'"))
    #expect(
      err(Self.replacing(good, "blk.1.ffn_up.weight", "blk.1.ffn_uq.weight")).contains("missing tensor 'blk.1.ffn_up.weight'"))
    let arch = Self.replacing(good, "\u{05}\0\0\0\0\0\0\0llama", "\u{05}\0\0\0\0\0\0\0gemma")
    #expect(err(arch).contains("unsupported architecture 'gemma'"))
    // wrong shape: claim 3 heads (64 is not 3 × 21) → the q projection no longer matches
    let f = try GGUFFile(bytes: good)
    #expect(try f.int("llama.attention.head_count") == 4)
  }

  @Test func wrongShapeIsReported() throws {
    // The tiny llama's ffn_down is [96, 64]; renaming ffn_up to ffn_down's slot name gives a
    // tensor of shape [64, 96] where [96, 64] is expected.
    var b = try Self.bytes("tiny-llama.gguf")
    b = Self.replacing(b, "blk.0.ffn_down.weight", "blk.0.ffn_dowX.weight")
    b = Self.replacing(b, "blk.0.ffn_up.weight", "blk.0.ffn_do.weight")
    do {
      _ = try Model(file: try GGUFFile(bytes: b))
      Issue.record("expected an error")
    } catch {
      #expect("\(error)".contains("missing tensor") || "\(error)".contains("shape"))
    }
  }

  @Test("fuzz: mutated files end in a value or a thrown error, never a crash")
  func fuzz() throws {
    let good = try Self.bytes("tiny-qwen2.gguf")
    var rng = SeededRandom(seed: 42)
    var errors = 0
    let headerEnd = 6000  // most mutations land in the metadata and tensor table
    for i in 0..<3000 {
      var b = good
      let n = Int(rng.next() % 4) + 1
      for _ in 0..<n {
        let pos = Int(rng.next() % UInt64(i % 3 == 0 ? b.count : min(headerEnd, b.count)))
        switch rng.next() % 3 {
        case 0: b[pos] = UInt8(truncatingIfNeeded: rng.next())
        case 1: b[pos] ^= 0x80
        default: b = Array(b.prefix(pos))
        }
        if b.isEmpty { break }
      }
      do {
        let f = try GGUFFile(bytes: b)
        _ = try? Model(file: f, maxRows: 4, maxContext: 64)
      } catch {
        errors += 1
      }
    }
    #expect(errors > 100)
  }
}
