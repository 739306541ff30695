import Transformer

/// The tokens the session treats specially: what ends the thoughts and the turn, the paragraph
/// break a reopened thinker is fed, and the two streams' samplers with their forbidden tokens.
struct SpecialTokens {
  let endOfThinking: Set<Int32>
  let endOfTurn: Set<Int32>
  /// Fed to a thinker whose ended thoughts were reopened (a paragraph break).
  let paragraph: Int32
  /// Tokens made only of digits (after an optional space), masked right after a calculator result.
  let digits: [Int32]

  init(prompts: PromptSet, engine: Engine) {
    let tok = engine.tokenizer
    endOfThinking = Set(Self.ids(prompts.endOfThinking, tok))
    endOfTurn = engine.stopTokens
    paragraph = tok.encodePlain("\n\n").last ?? 198
    digits = (0..<tok.vocabularySize).compactMap { id in
      let b = tok.bytes(of: Int32(id)).drop { $0 == 0x20 }
      return !b.isEmpty && b.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } ? Int32(id) : nil
    }
  }

  /// Single-token ids of the given strings (control tokens, vocabulary entries, or texts that
  /// encode to one token).
  static func ids(_ list: [String], _ tok: Tokenizer) -> [Int32] {
    list.compactMap { s in
      if let id = tok.special[s] ?? tok.id(of: s) { return id }
      let e = tok.encode(s)
      return e.count == 1 ? e[0] : nil
    }
  }

  /// The thinker's sampler: the set's repetition penalty at least, its forbidden tokens, and never
  /// the end of thinking before it may.
  func thinkerSampler(prompts: PromptSet, sampling: SamplerOptions, seed: UInt64, _ tok: Tokenizer) -> Sampler {
    var options = sampling
    options.repetitionPenalty = max(options.repetitionPenalty, prompts.thinkerRepetitionPenalty)
    var s = Sampler(options: options, seed: seed, forbidden: Set(Self.ids(prompts.thinkerForbidden, tok)))
    s.forbidden.formUnion(prompts.tokens(holdingAnyOf: prompts.unthoughtCharacters, tok))
    s.forbidden.subtract(endOfThinking)
    return s
  }

  /// The writer's sampler: the set's forbidden tokens, never the end of thinking (unless that
  /// token also ends its turn: an instruct model's thinker ends its worked answer with the same
  /// `<|im_end|>`), and no token holding a character the set says is never spoken (markup).
  func writerSampler(prompts: PromptSet, sampling: SamplerOptions, seed: UInt64, _ tok: Tokenizer) -> Sampler {
    var s = Sampler(options: sampling, seed: seed &+ 1, forbidden: Set(Self.ids(prompts.writerForbidden, tok)))
    s.forbidden.formUnion(endOfThinking.subtracting(endOfTurn))
    s.forbidden.formUnion(prompts.unspokenTokens(tok))
    return s
  }
}

extension PromptSet {
  /// The tokens that hold a character the set says is never spoken (`unspokenCharacters`), each
  /// character matched as its whole UTF-8 sequence ("—" is three bytes that "’" and CJK characters
  /// share in part).
  public func unspokenTokens(_ tok: Tokenizer) -> Set<Int32> { tokens(holdingAnyOf: unspokenCharacters, tok) }

  /// The tokens that hold any of `chars`, each character matched as its whole UTF-8 sequence.
  public func tokens(holdingAnyOf chars: String?, _ tok: Tokenizer) -> Set<Int32> {
    guard let chars, !chars.isEmpty else { return [] }
    let sequences = chars.map { Array(String($0).utf8) }
    var out = Set<Int32>()
    for id in 0..<tok.vocabularySize {
      let b = tok.bytes(of: Int32(id))
      let holds = sequences.contains { seq in
        b.count >= seq.count && (0...(b.count - seq.count)).contains { b[$0..<($0 + seq.count)].elementsEqual(seq) }
      }
      if holds { out.insert(Int32(id)) }
    }
    return out
  }
}
