/// `render(viewModel, size) -> Grid`: pure, so frames are testable as text.
public enum Renderer {
  public static func render(_ vm: ViewModel, width: Int, height: Int) -> Grid {
    var g = Grid(width: width, height: height)
    let layout = Layout(width: width, height: height)
    if layout.tooSmall {
      let msg = "Terminal too small (\(width)×\(height)); need \(Layout.minWidth)×\(Layout.minHeight)."
      // Wrapped, so a narrow terminal still shows the whole message (it was cut at 30 columns).
      for (y, line) in Wrapper.wrap([Span(msg, .statusWarn)], width: max(1, width)).prefix(height).enumerated() {
        var x = 0
        for s in line { x = g.put(s.text, x: x, y: y, style: s.style) }
      }
      return g
    }
    let titles = ["Listening", "Thinking", "Speaking"]
    let contents = [vm.listening, vm.thinking, vm.speaking]
    if vm.showCacheMap { drawCacheMap(&g, vm, layout) }
    for (i, r) in layout.panes.enumerated() where !vm.showCacheMap {
      drawBox(
        &g, r, title: titles[i], focused: vm.focus.rawValue == i, ascii: vm.ascii,
        scrolled: vm.scroll[i] > 0)
      let inner = Layout.Rect(x: r.x + 1, y: r.y + 1, width: max(0, r.width - 2), height: max(0, r.height - 2))
      let lines = Wrapper.wrap(contents[i].map { strike($0, ascii: vm.ascii) }, width: inner.width)
      let maxScroll = max(0, lines.count - inner.height)
      let scroll = min(vm.scroll[i], maxScroll)
      let first = max(0, lines.count - inner.height - scroll)
      for (row, line) in lines[first..<min(lines.count, first + inner.height)].enumerated() {
        var x = inner.x
        for span in line { x = g.put(span.text, x: x, y: inner.y + row, style: span.style, maxX: inner.maxX) }
      }
    }
    // Status line: mode first (glyph + word, not colour alone), then fields.
    let sy = layout.status.y
    let help = "  ? help"
    let fieldsEnd = width - TextWidth.of(help)
    var x = g.put(" " + vm.modeLabel + " ", x: 0, y: sy, style: vm.modeStyle)
    if let w = vm.warning { x = g.put("  ⚠ " + w, x: x, y: sy, style: .statusWarn, maxX: fieldsEnd) }
    for f in vm.status where x + 2 + TextWidth.of(f) <= fieldsEnd { x = g.put("  " + f, x: x, y: sy, style: .status) }
    if width - TextWidth.of(help) > x { g.put(help, x: width - TextWidth.of(help), y: sy, style: .dim) }
    // Input line.
    let iy = layout.input.y
    let prompt = vm.ascii ? "> " : "› "
    let end = g.put(prompt + vm.input, x: 0, y: iy, style: .input)
    if vm.input.isEmpty { g.put(vm.inputHint, x: end, y: iy, style: .dim) }
    if vm.showHelp { drawHelp(&g, ascii: vm.ascii) }
    return g
  }

  /// The cache map in one box over the panes' area (what does not fit is cut at the bottom).
  static func drawCacheMap(_ g: inout Grid, _ vm: ViewModel, _ layout: Layout) {
    let r = Layout.Rect(x: 0, y: 0, width: g.width, height: layout.status.y)
    drawBox(&g, r, title: "Cache map  (k: back to the panes)", focused: true, ascii: vm.ascii, scrolled: false)
    let lines = CacheMapRenderer.lines(vm.cacheMap, width: max(0, r.width - 4), ascii: vm.ascii)
    for (row, line) in lines.prefix(max(0, r.height - 2)).enumerated() {
      var x = r.x + 2
      for span in line { x = g.put(span.text, x: x, y: r.y + 1 + row, style: span.style, maxX: r.maxX - 2) }
    }
  }

  /// Text cut by an interjection is struck through (U+0336), or ~marked~ in ASCII mode, so the
  /// cut is visible without colour.
  static func strike(_ s: Span, ascii: Bool) -> Span {
    guard s.style == .cut else { return s }
    if ascii { return Span("~" + s.text + "~", .cut) }
    var out = ""
    for ch in s.text {
      out.append(ch)
      if ch != " " && ch != "\n" { out.unicodeScalars.append("\u{0336}") }
    }
    return Span(out, .cut)
  }

  static func drawBox(_ g: inout Grid, _ r: Layout.Rect, title: String, focused: Bool, ascii: Bool, scrolled: Bool) {
    guard r.width >= 2 && r.height >= 2 else { return }
    let (h, v, tl, tr, bl, br) = ascii ? ("-", "|", "+", "+", "+", "+") : ("─", "│", "┌", "┐", "└", "┘")
    for x in (r.x + 1)..<(r.maxX - 1) {
      g[x, r.y] = Cell(h, .border)
      g[x, r.maxY - 1] = Cell(h, .border)
    }
    for y in (r.y + 1)..<(r.maxY - 1) {
      g[r.x, y] = Cell(v, .border)
      g[r.maxX - 1, y] = Cell(v, .border)
    }
    g[r.x, r.y] = Cell(tl, .border)
    g[r.maxX - 1, r.y] = Cell(tr, .border)
    g[r.x, r.maxY - 1] = Cell(bl, .border)
    g[r.maxX - 1, r.maxY - 1] = Cell(br, .border)
    let t = focused ? "[\(title)]" : " \(title) "
    g.put(t, x: r.x + 1, y: r.y, style: focused ? .focusTitle : .title, maxX: r.maxX - 1)
    if scrolled {
      g.put(ascii ? " ^ End " : " ↑ End ", x: max(r.x + 1, r.maxX - 8), y: r.maxY - 1, style: .dim, maxX: r.maxX - 1)
    }
  }

  static let helpLines = [
    "Keys",
    "type + Enter   send an interjection",
    "Esc            clear the input line",
    "Space          pause / resume (empty input)",
    "+ / -          playback speed",
    "Tab            focus next pane",
    "PgUp PgDn ↑ ↓  scroll the focused pane",
    "mouse wheel    scroll the pane under it",
    "End            follow (replay: to the end)",
    "n              next scenario",
    "k              cache map (the KV blocks)",
    ". [ ]          replay: step, jump",
    "← →            replay: seek 5 s back / on",
    "0-9  Home      replay: to 0-90 %, to start",
    "q  Ctrl-C      quit (q on empty input)",
    "?              close this help",
  ]

  static func drawHelp(_ g: inout Grid, ascii: Bool) {
    let w = min(g.width - 4, 46)
    let h = min(g.height - 2, helpLines.count + 2)
    let r = Layout.Rect(x: (g.width - w) / 2, y: (g.height - h) / 2, width: w, height: h)
    for y in r.y..<r.maxY { for x in r.x..<r.maxX { g[x, y] = Cell(" ", .help) } }
    drawBox(&g, r, title: "Help", focused: true, ascii: ascii, scrolled: false)
    for (i, l) in helpLines.prefix(h - 2).enumerated() { g.put(l, x: r.x + 2, y: r.y + 1 + i, style: .help, maxX: r.maxX - 1) }
  }
}
