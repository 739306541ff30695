import Terminal
import Testing

/// The cache map (key `k`) as text snapshots, from a hand-made model (no model, no events): the
/// paper's layout, where the thinker's view also holds the answer, mid-answer.
func sampleCacheMap(probing: Bool = false) -> CacheMapModel {
  typealias B = CacheMapModel.Block
  func view(_ name: String, _ blocks: [(String, Int, Int, Bool, Int)]) -> CacheMapModel.View {
    var offset = 0
    var out: [B] = []
    for (n, len, shift, writing, cut) in blocks {
      out.append(B(name: n, length: len, offset: offset, shift: shift, writing: writing, cut: cut))
      offset += len
    }
    return CacheMapModel.View(name: name, blocks: out)
  }
  let thinker: [(String, Int, Int, Bool, Int)] = [
    ("thinker_prefix", 31, 0, false, 0), ("history_t", 0, 0, false, 0), ("input_t", 14, 0, false, 0),
    ("thinker_mid", 9, 0, false, 0), ("writer_output", 37, 0, false, 5), ("thinker_split", 12, -5, false, 0),
    ("thinker_output", 188, -5, !probing, 0),
  ]
  let writer: [(String, Int, Int, Bool, Int)] = [
    ("writer_prefix", 40, 0, false, 0), ("history_w", 0, 0, false, 0), ("input_w", 14, 0, false, 0),
    ("writer_mid", 11, 0, false, 0), ("thinker_output", 188, 0, false, 0), ("writer_split", 16, 12, false, 0),
    ("writer_output", 37, 12, !probing, 5),
  ]
  return CacheMapModel(
    views: [
      view("thinker", thinker), view("writer", writer),
      view("probe", thinker.map { ($0.0, $0.1, $0.2, false, $0.4) } + [("probe", probing ? 14 : 0, -5, probing, 0)]),
    ],
    time: 6.4, notes: ["✂ 6.31 s hold: ANSWER −5 tokens taken back (408 not in the thoughts yet)"])
}

@Suite struct CacheMapRenderTests {
  static func model(_ map: CacheMapModel?) -> ViewModel {
    var vm = sampleModel()
    vm.showCacheMap = true
    vm.cacheMap = map
    return vm
  }

  @Test func map80x24() throws {
    try assertSnapshot(Renderer.render(Self.model(sampleCacheMap()), width: 80, height: 24), "cachemap-80x24")
  }
  @Test func map120x40() throws {
    try assertSnapshot(Renderer.render(Self.model(sampleCacheMap()), width: 120, height: 40), "cachemap-120x40")
  }
  @Test("while the probe is asked its view is shown too, even at 80 columns")
  func probing80x24() throws {
    let g = Renderer.render(Self.model(sampleCacheMap(probing: true)), width: 80, height: 24)
    try assertSnapshot(g, "cachemap-probe-80x24")
    #expect(g.text.contains("probe: 305, q = 305"))
  }
  @Test func tooSmall() throws {
    let g = Renderer.render(Self.model(sampleCacheMap()), width: 50, height: 10)
    #expect(g.text.hasPrefix("Terminal too small (50×10); need 60×12."))
    try assertSnapshot(g, "cachemap-too-small")
  }
  @Test("the smallest screen still shows the bars, cut at the bottom")
  func smallest() {
    let g = Renderer.render(Self.model(sampleCacheMap()), width: 60, height: 12)
    #expect(g.text.contains("Cache map"))
    #expect(g.text.contains("thinker ▕pref") && g.text.contains("writer: 306, q = 306"))
  }
  @Test("no layout yet (a recording older than 1.2): the map says so")
  func noLayout() {
    let g = Renderer.render(Self.model(nil), width: 80, height: 24)
    #expect(g.text.contains("No cache layout yet."))
    #expect(g.text.contains("before format 1.2"))
  }
  @Test("what each block row says: length, offset, query rotation, move, and the marks")
  func rows() {
    let text = CacheMapRenderer.text(sampleCacheMap(), width: 120)
    // thinker view: 291 tokens; THOUGHTS at 103, so its query rotation is 291 − 103 = 188
    #expect(text.contains("thinker view: 291 tokens, q = 291"))
    #expect(text.contains("▸THOUGHTS   188   103   188    -5"))
    #expect(text.contains("✂ANSWER      37    54   237"))
    #expect(text.contains("→ moved: thinker: split -5, THOUGHTS -5; writer: split +12, ANSWER +12"))
    #expect(text.contains("ANSWER thinker @54, writer @269 (Δ +215); THOUGHTS thinker @103, writer @65 (Δ -38)"))
    #expect(text.contains("the thinker's view holds the answer (the paper's layout)"))
    let ascii = CacheMapRenderer.text(sampleCacheMap(), width: 120, ascii: true)
    #expect(!ascii.contains("▸") && ascii.contains(">THOUGHTS"))
  }
}
