/// Errors of the tokenizer, each naming the offending value.
public enum TokenizerError: Error, CustomStringConvertible {
  case unsupportedModel(String)
  case unsupportedPreTokenizer(String)
  case badVocabulary(String)

  public var description: String {
    switch self {
    case .unsupportedModel(let m): return "tokenizer.ggml.model is '\(m)', expected 'gpt2' (byte-level BPE)"
    case .unsupportedPreTokenizer(let p):
      return "tokenizer.ggml.pre is '\(p)', expected one of smollm, qwen2, llama-bpe, gpt2"
    case .badVocabulary(let s): return "bad vocabulary: \(s)"
    }
  }
}

/// Byte-level BPE from a GGUF vocabulary and merge list (GPT-2 family), with control tokens matched
/// literally in the text, as llama.cpp and the reference script do.
public final class Tokenizer: @unchecked Sendable {
  public let tokens: [String]
  public let preTokenizer: PreTokenizer
  public let bos: Int32?
  public let eos: Int32
  /// Control and user-defined tokens (token types 3 and 4).
  public let special: [String: Int32]
  private let vocab: [String: Int32]
  private let merges: [UInt64: (rank: Int32, merged: Int32)]
  private let byteToken: [Int32]  // byte → id of its single-char token
  private let tokenBytes: [[UInt8]]
  private let specialByFirstByte: [UInt8: [(bytes: [UInt8], id: Int32)]]
  private var cache: [String: [Int32]] = [:]

  public convenience init(file: GGUFFile) throws {
    let model = try file.string("tokenizer.ggml.model")
    guard model == "gpt2" else { throw TokenizerError.unsupportedModel(model) }
    let tokens = try file.strings("tokenizer.ggml.tokens")
    let merges = try file.strings("tokenizer.ggml.merges")
    let types = (try? file.ints("tokenizer.ggml.token_type")) ?? Array(repeating: 1, count: tokens.count)
    let pre = (try? file.string("tokenizer.ggml.pre")) ?? "default"
    // A token id key that is present must name a token (a huge value would not fit Int32).
    func tokenID(_ key: String) throws -> Int32? {
      guard let v = try? file.int(key) else { return nil }
      guard let id = Int32(exactly: v), id >= 0, Int(id) < tokens.count else {
        throw TokenizerError.badVocabulary("\(key) is \(v), expected a token id from 0 to \(tokens.count - 1)")
      }
      return id
    }
    try self.init(
      tokens: tokens, merges: merges, types: types, pre: pre,
      bos: try tokenID("tokenizer.ggml.bos_token_id"), eos: try tokenID("tokenizer.ggml.eos_token_id") ?? 0)
  }

  public init(tokens: [String], merges: [String], types: [Int], pre: String, bos: Int32?, eos: Int32) throws {
    self.tokens = tokens
    preTokenizer = try PreTokenizer(name: pre)
    self.bos = bos
    guard eos >= 0 && Int(eos) < tokens.count else { throw TokenizerError.badVocabulary("eos id \(eos) out of range") }
    self.eos = eos
    var vocab: [String: Int32] = [:]
    vocab.reserveCapacity(tokens.count)
    for (i, t) in tokens.enumerated() where vocab[t] == nil { vocab[t] = Int32(i) }
    self.vocab = vocab
    var special: [String: Int32] = [:]
    for (i, ty) in types.enumerated() where (ty == 3 || ty == 4) && i < tokens.count && !tokens[i].isEmpty {
      special[tokens[i]] = Int32(i)
    }
    self.special = special
    var byFirst: [UInt8: [(bytes: [UInt8], id: Int32)]] = [:]
    for (s, id) in special {
      let b = Array(s.utf8)
      byFirst[b[0], default: []].append((b, id))
    }
    for k in byFirst.keys { byFirst[k]!.sort { $0.bytes.count > $1.bytes.count } }
    specialByFirstByte = byFirst
    var m: [UInt64: (Int32, Int32)] = [:]
    m.reserveCapacity(merges.count)
    for (rank, line) in merges.enumerated() {
      guard let sp = line.firstIndex(of: " ") else { continue }
      let a = String(line[..<sp]), b = String(line[line.index(after: sp)...])
      guard let ia = vocab[a], let ib = vocab[b], let im = vocab[a + b] else { continue }
      let key = UInt64(UInt32(ia)) << 32 | UInt64(UInt32(ib))
      if m[key] == nil { m[key] = (Int32(rank), im) }
    }
    self.merges = m
    let b2u = ByteLevel.byteToUnicode
    var bt = [Int32](repeating: -1, count: 256)
    for byte in 0..<256 {
      // Some vocabularies lack tokens for rare control bytes; such bytes are dropped on encode.
      bt[byte] = vocab[String(b2u[byte])] ?? -1
    }
    byteToken = bt
    let u2b = ByteLevel.unicodeToByte
    tokenBytes = tokens.enumerated().map { i, t in
      if special[t] == Int32(i) { return Array(t.utf8) }
      var out: [UInt8] = []
      for sc in t.unicodeScalars {
        if let b = u2b[sc] { out.append(b) } else { out.append(contentsOf: Array(String(sc).utf8)) }
      }
      return out
    }
  }

  public var vocabularySize: Int { tokens.count }
  public func id(of token: String) -> Int32? { vocab[token] }
  public func bytes(of id: Int32) -> [UInt8] { tokenBytes[Int(id)] }

  /// Encodes text; control tokens written in the text (e.g. `<|im_start|>`) become their ids.
  public func encode(_ text: String) -> [Int32] {
    var out: [Int32] = []
    let utf8 = Array(text.utf8)
    var plainStart = 0
    var i = 0
    while i < utf8.count {
      if let cands = specialByFirstByte[utf8[i]],
        let hit = cands.first(where: { i + $0.bytes.count <= utf8.count && Array(utf8[i..<(i + $0.bytes.count)]) == $0.bytes })
      {
        if i > plainStart { encodePlain(utf8[plainStart..<i], into: &out) }
        out.append(hit.id)
        i += hit.bytes.count
        plainStart = i
      } else {
        i += 1
      }
    }
    if plainStart < utf8.count { encodePlain(utf8[plainStart..<utf8.count], into: &out) }
    return out
  }

  /// Encodes text with control-token strings treated as plain text (for user input).
  public func encodePlain(_ text: String) -> [Int32] {
    var out: [Int32] = []
    let b = Array(text.utf8)
    encodePlain(b[...], into: &out)
    return out
  }

  private func encodePlain(_ bytes: ArraySlice<UInt8>, into out: inout [Int32]) {
    let text = String(decoding: bytes, as: UTF8.self)
    for word in preTokenizer.split(text) {
      let w = String(word)
      if let hit = cache[w] {
        out.append(contentsOf: hit)
        continue
      }
      let ids = bpe(Array(w.utf8))
      if cache.count < 100_000 { cache[w] = ids }
      out.append(contentsOf: ids)
    }
  }

  /// Applies merges by rank, every occurrence of the best pair left to right (as the reference).
  private func bpe(_ bytes: [UInt8]) -> [Int32] {
    var parts = bytes.map { byteToken[Int($0)] }.filter { $0 >= 0 }
    while parts.count > 1 {
      var bestRank = Int32.max
      var best: (Int32, Int32, Int32)? = nil
      for i in 0..<(parts.count - 1) {
        let key = UInt64(UInt32(parts[i])) << 32 | UInt64(UInt32(parts[i + 1]))
        if let m = merges[key], m.rank < bestRank {
          bestRank = m.rank
          best = (parts[i], parts[i + 1], m.merged)
        }
      }
      guard let (a, b, merged) = best else { break }
      var next: [Int32] = []
      next.reserveCapacity(parts.count)
      var i = 0
      while i < parts.count {
        if i + 1 < parts.count && parts[i] == a && parts[i + 1] == b {
          next.append(merged)
          i += 2
        } else {
          next.append(parts[i])
          i += 1
        }
      }
      parts = next
    }
    return parts
  }

  /// Decodes ids to text (invalid UTF-8 becomes U+FFFD).
  public func decode(_ ids: [Int32]) -> String {
    var b: [UInt8] = []
    for id in ids where id >= 0 && Int(id) < tokenBytes.count { b.append(contentsOf: tokenBytes[Int(id)]) }
    return String(decoding: b, as: UTF8.self)
  }
}

/// GPT-2's reversible byte ↔ printable-unicode table.
enum ByteLevel {
  static let byteToUnicode: [Unicode.Scalar] = {
    var bs = Array(33...126) + Array(161...172) + Array(174...255)
    var cs = bs
    var n = 0
    for b in 0..<256 where !bs.contains(b) {
      bs.append(b)
      cs.append(256 + n)
      n += 1
    }
    var table = [Unicode.Scalar](repeating: " ", count: 256)
    for (b, c) in zip(bs, cs) { table[b] = Unicode.Scalar(UInt32(c))! }
    return table
  }()
  static let unicodeToByte: [Unicode.Scalar: UInt8] = {
    var d: [Unicode.Scalar: UInt8] = [:]
    for (b, c) in byteToUnicode.enumerated() { d[c] = UInt8(b) }
    return d
  }()
}
