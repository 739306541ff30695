import Foundation
import Terminal
import Testing

let snapshotDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

/// Compares a frame with its committed text snapshot (UPDATE_SNAPSHOTS=1 rewrites them).
func assertSnapshot(_ grid: Grid, _ name: String) throws {
  let url = snapshotDir.appendingPathComponent(name + ".txt")
  let text = grid.text + "\n"
  if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] != nil {
    try text.write(to: url, atomically: true, encoding: .utf8)
    return
  }
  let want = try String(contentsOf: url, encoding: .utf8)
  #expect(text == want, "snapshot \(name) differs:\n\(text)")
}

func sampleModel() -> ViewModel {
  var vm = ViewModel()
  vm.listening = [Span("What is seventeen times twenty three? ⏎", .heard), Span("\n» actually, times 24", .interjection)]
  vm.thinking = [
    Span("1. 17 × 23 = 17 × 20 + 17 × 3 = 340 + 51 = 391.\n", .thought), Span(" ⟨yes 0.62⟩ ◑", .mark),
    Span("\n2. Check: 391 ÷ 17 = 23. ", .thought), Span("[interjection] ", .mark),
    Span("\n3. Now 17 × 24 = 408. Supercalifragilisticexpialidocious-long-word-that-must-split.", .thought),
  ]
  vm.speaking = [
    Span("Seventeen times twenty-three is ", .spoken), Span("391", .cut), Span(" four hundred and eight.", .unspoken),
    Span(" ░ waiting 1.2 s", .silence),
  ]
  vm.modeLabel = "◑ thinking+speaking"
  vm.status = ["step 412", "38 tok/s", "TTFW 0.42 s", "silence 0.9 s", "1.0x", "● REC"]
  vm.input = "make it shorter"
  return vm
}

@Suite struct RendererTests {
  @Test func frame80x24() throws { try assertSnapshot(Renderer.render(sampleModel(), width: 80, height: 24), "frame-80x24") }
  @Test func frame120x40() throws { try assertSnapshot(Renderer.render(sampleModel(), width: 120, height: 40), "frame-120x40") }
  @Test func tooSmall() throws {
    let g = Renderer.render(sampleModel(), width: 40, height: 10)
    #expect(g.text.hasPrefix("Terminal too small (40×10); need 60×12."))
    try assertSnapshot(g, "frame-too-small")
  }
  @Test("the too-small message wraps to the width instead of being cut", arguments: [(30, 8), (20, 6)])
  func tooSmallWraps(width: Int, height: Int) {
    let g = Renderer.render(sampleModel(), width: width, height: height)
    let words = g.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    #expect(words == "Terminal too small (\(width)×\(height)); need 60×12.", "\(g.text)")
  }
  @Test func wideCharacters() throws {
    var vm = sampleModel()
    vm.listening = [Span("三加五等于多少? 🍎🍎🍎 and 👍 naïve", .heard)]
    let g = Renderer.render(vm, width: 80, height: 24)
    try assertSnapshot(g, "frame-cjk-emoji")
    // a wide character takes two cells: its right half is empty text
    let row = (0..<g.width).map { g[$0, 1] }
    #expect(row.contains { $0.text == "三" })
    #expect(row.contains { $0.text == "" })
  }
  @Test func scrolledPane() throws {
    var vm = sampleModel()
    vm.thinking = (1...40).map { Span("note \($0)\n", .thought) }
    vm.focus = .thinking
    vm.scroll = [0, 5, 0]
    let g = Renderer.render(vm, width: 80, height: 24)
    try assertSnapshot(g, "frame-scrolled")
    #expect(g.text.contains("note 35"))
    #expect(!g.text.contains("note 40"))
    #expect(g.text.contains("↑ End"))
  }
  @Test func helpOverlay() throws {
    var vm = sampleModel()
    vm.showHelp = true
    let g = Renderer.render(vm, width: 80, height: 24)
    try assertSnapshot(g, "frame-help")
    #expect(g.text.contains("send an interjection"))
  }
  @Test func asciiMode() {
    var vm = sampleModel()
    vm.ascii = true
    let t = Renderer.render(vm, width: 80, height: 24).text
    #expect(!t.contains("┌"))
    #expect(t.contains("+"))
  }

  @Test("panes never overlap or overflow, from the minimum to 300×100")
  func layoutArithmetic() {
    for w in stride(from: Layout.minWidth, through: 300, by: 7) {
      for h in stride(from: Layout.minHeight, through: 100, by: 5) {
        let l = Layout(width: w, height: h)
        #expect(!l.tooSmall)
        let rects = l.panes + [l.status, l.input]
        for (i, a) in rects.enumerated() {
          #expect(a.x >= 0 && a.y >= 0 && a.maxX <= w && a.maxY <= h, "\(w)x\(h) rect \(i)")
          for b in rects[(i + 1)...] { #expect(!a.intersects(b), "\(w)x\(h)") }
        }
        #expect(l.panes.reduce(0) { $0 + $1.width } == w)
      }
    }
  }

  @Test func wrapping() {
    let lines = Wrapper.wrap([Span("hello wonderful world", .normal)], width: 10)
    #expect(lines.map { $0.map(\.text).joined() } == ["hello", "wonderful", "world"])
    let cjk = Wrapper.wrap([Span("日本語日本語", .normal)], width: 5)
    #expect(cjk.map { $0.map(\.text).joined() } == ["日本", "語日", "本語"])
    #expect(TextWidth.of("🍎") == 2 && TextWidth.of("a") == 1 && TextWidth.of("é") == 1)
  }

  @Test("a word half spoken (two spans) wraps as one word, each part in its style")
  func wrappingAcrossSpans() {
    let lines = Wrapper.wrap([Span("blue light sc", .spoken), Span("atters more", .unspoken)], width: 12)
    #expect(lines.map { $0.map(\.text).joined() } == ["blue light", "scatters", "more"])
    #expect(lines[1] == [Span("sc", .spoken), Span("atters", .unspoken)])
  }
}
