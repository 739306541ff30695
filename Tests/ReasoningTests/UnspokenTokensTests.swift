import Reasoning
import Testing
import Transformer

/// `PromptSet.unspokenTokens`: a token is never spoken when it holds a whole unspoken character.
@Suite struct UnspokenTokensTests {
  @Test("a multi-byte character is matched whole: '—' bans its tokens, not those of '’' or CJK text that share its bytes")
  func wholeCharacters() throws {
    let tok = try Model135.engine().tokenizer
    var p = PromptSet.worked
    p.unspokenCharacters = "#—"
    let banned = p.unspokenTokens(tok)
    func has(_ id: Int32, _ s: String) -> Bool { tok.bytes(of: id).count >= s.utf8.count && tok.decode([id]).contains(s) }
    let dash = (0..<Int32(tok.vocabularySize)).filter { has($0, "—") }
    let quote = (0..<Int32(tok.vocabularySize)).filter { has($0, "’") && !has($0, "—") && !has($0, "#") }
    let hash = (0..<Int32(tok.vocabularySize)).filter { has($0, "#") }
    #expect(!dash.isEmpty && !quote.isEmpty && !hash.isEmpty)  // the vocabulary has all three
    #expect(dash.allSatisfy(banned.contains) && hash.allSatisfy(banned.contains))
    #expect(!quote.contains(where: banned.contains))  // "’" is E2 80 99, "—" E2 80 94
    #expect(banned.count == Set(dash + hash).count)
    p.unspokenCharacters = nil
    #expect(p.unspokenTokens(tok).isEmpty)
  }

  @Test("the thinker's banned characters: every token holding a backslash, and nothing without one")
  func thoughtBackslash() throws {
    let tok = try Model135.engine().tokenizer
    let banned = PromptSet.worked.tokens(holdingAnyOf: "\\", tok)
    let slash = (0..<Int32(tok.vocabularySize)).filter { tok.bytes(of: $0).contains(0x5C) }
    #expect(!slash.isEmpty)
    #expect(banned == Set(slash))
    #expect(PromptSet.worked.tokens(holdingAnyOf: nil, tok).isEmpty)
  }
}
