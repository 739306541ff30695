/// The cache map as lines of spans for a given width (pure): a bar per view with its blocks in
/// order, a table per view (block, length, offset, query rotation, shift), then recent cuts and a
/// legend. The screen draws it in a box over the panes; `run --cache-map` prints it as text.
public enum CacheMapRenderer {
  /// Columns of a table row with the shift column (narrower tables leave it to the `→` marker).
  static let fullColumn = 34

  public static func lines(_ m: CacheMapModel?, width: Int, ascii: Bool = false) -> [[Span]] {
    guard let m, !m.views.isEmpty else {
      return [
        [Span("No cache layout yet.", .bold)],
        [Span("The map is drawn from `layout` events: live sessions send them as the cache changes;", .dim)],
        [Span("recordings made before format 1.2 have none, and replay without the map.", .dim)],
      ]
    }
    var out: [[Span]] = []
    let kind =
      m.thinkerSeesAnswer
      ? "the thinker's view holds the answer (the paper's layout)"
      : "the thinker's view does not hold the answer (worked-answer layout)"
    out.append([Span(String(format: "t %.2f s  ", m.time), .bold), Span(kind, .dim)])
    let probing = m.view("probe")?.blocks.last?.writing ?? false
    let shown = m.views.filter { $0.name != "probe" || probing || width >= 3 * fullColumn }
    let nameWidth = (shown.map { TextWidth.of($0.name) }.max() ?? 0) + 1
    for v in shown { out.append(bar(v, width: width, nameWidth: nameWidth, ascii: ascii)) }
    out.append([])
    out += table(shown, width: width, ascii: ascii)
    if shown.count < m.views.count {
      out.append([Span("probe view = the thinker's + the probe block (shown while it is asked)", .dim)])
    }
    let moved = shifts(m)
    if !moved.isEmpty {
      out += Wrapper.wrap([Span((ascii ? "-> " : "→ ") + "moved: " + moved, .mark)], width: width)
    }
    for n in m.notes { out += Wrapper.wrap([Span(n, .cut)], width: width) }
    let both = shared(m)
    if !both.isEmpty { out += Wrapper.wrap([Span("stored once, seen twice: " + both, .thought)], width: width) }
    let legend =
      "Keys are stored at block positions 0…len−1; a view places a block at @off and rotates the query (at q)"
      + " by rot = q − off for it (paper §3.3)."
    out += Wrapper.wrap([Span(legend, .dim)], width: width)
    return out
  }

  /// "writer ▕prefix|input|mid|THOUGHTS    |split|ANSWER▸▏": widths in proportion to the lengths,
  /// at least one cell for a block that holds tokens; empty blocks are left out of the bar.
  static func bar(_ v: CacheMapModel.View, width: Int, nameWidth: Int, ascii: Bool) -> [Span] {
    let (l, r, sep, head) = ascii ? ("[", "]", "|", ">") : ("▕", "▏", "│", "▸")
    let blocks = v.blocks.filter { $0.length > 0 || $0.writing }
    var line = [Span(v.name + String(repeating: " ", count: max(0, nameWidth - TextWidth.of(v.name))), .title), Span(l, .border)]
    let room = width - nameWidth - 2 - max(0, blocks.count - 1)
    guard room >= blocks.count, v.length > 0 else { return line + [Span(r, .border)] }
    var cells = blocks.map { max(1, $0.length * room / max(1, v.length)) }
    // Hand out what rounding left (or take back the excess) on the largest blocks.
    while cells.reduce(0, +) != room {
      let i = cells.indices.max { cells[$0] < cells[$1] }!
      if cells.reduce(0, +) > room { if cells[i] > 1 { cells[i] -= 1 } else { break } } else { cells[i] += 1 }
    }
    for (i, (b, n)) in zip(blocks, cells).enumerated() {
      if i > 0 { line.append(Span(sep, .border)) }
      var text = CacheMapModel.label(b.name)
      if b.writing { text += head }
      text = clip(text, n)
      text += String(repeating: " ", count: max(0, n - TextWidth.of(text)))
      line.append(Span(text, b.writing ? .focusTitle : b.cut > 0 ? .cut : b.shift != 0 ? .mark : .thought))
    }
    return line + [Span(r, .border)]
  }

  /// The views side by side: a header, then one row per block in the view's order. Columns of
  /// `fullColumn` cells or more also show each block's move; narrower ones use fewer digits.
  static func table(_ views: [CacheMapModel.View], width: Int, ascii: Bool) -> [[Span]] {
    let col = width / max(1, views.count)
    let wide = col >= fullColumn
    let (lw, nw, ow) = wide ? (9, 5, 6) : (8, 4, 5)
    func cell(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - TextWidth.of(s))) + s }
    var out: [[Span]] = [[], []]
    for v in views {
      let title = wide ? "\(v.name) view: \(v.length) tokens, q = \(v.length)" : "\(v.name): \(v.length), q = \(v.length)"
      out[0].append(Span(pad(title, col), .title))
      let head = " " + pad("block", lw) + cell("len", nw) + cell("@off", ow) + cell("rot", ow) + (wide ? cell("moved", 6) : "")
      out[1].append(Span(pad(head, col), .dim))
    }
    let rows = views.map(\.blocks.count).max() ?? 0
    for i in 0..<rows {
      var line: [Span] = []
      for v in views {
        guard i < v.blocks.count else {
          line.append(Span(pad("", col), .normal))
          continue
        }
        let b = v.blocks[i]
        let marker = b.cut > 0 ? (ascii ? "x" : "✂") : b.writing ? (ascii ? ">" : "▸") : b.shift != 0 ? (ascii ? "-" : "→") : " "
        var text = marker + pad(clip(CacheMapModel.label(b.name), lw), lw)
        text += cell("\(b.length)", nw) + cell("\(b.offset)", ow) + cell("\(v.rotation(b))", ow)
        if wide { text += cell(b.shift == 0 ? "" : String(format: "%+d", b.shift), 6) }
        let style: Style = b.cut > 0 ? .cut : b.writing ? .focusTitle : b.shift != 0 ? .mark : .normal
        line.append(Span(pad(text, col), style))
      }
      out.append(line)
    }
    return out
  }

  /// "THOUGHTS thinker @103, writer @65 (Δ −38)": each block the thinker's and writer's views
  /// share, stored once and placed at a different offset in each (what the per-block query
  /// rotation makes exact).
  static func shared(_ m: CacheMapModel) -> String {
    guard let t = m.view("thinker"), let w = m.view("writer") else { return "" }
    return t.blocks.compactMap { b in
      guard let o = w.blocks.first(where: { $0.name == b.name }) else { return nil }
      return
        "\(CacheMapModel.label(b.name)) thinker @\(b.offset), writer @\(o.offset) (Δ \(String(format: "%+d", o.offset - b.offset)))"
    }.joined(separator: "; ")
  }

  /// "thinker: …; writer: split +12, ANSWER +12" (the blocks whose offset changed; the probe's
  /// view moves as the thinker's does).
  static func shifts(_ m: CacheMapModel) -> String {
    m.views.filter { $0.name != "probe" }.compactMap { v in
      let moved = v.blocks.filter { $0.shift != 0 }.map { "\(CacheMapModel.label($0.name)) " + String(format: "%+d", $0.shift) }
      return moved.isEmpty ? nil : "\(v.name): " + moved.joined(separator: ", ")
    }.joined(separator: "; ")
  }

  static func pad(_ s: String, _ w: Int) -> String {
    let c = clip(s, w)
    return c + String(repeating: " ", count: max(0, w - TextWidth.of(c)))
  }

  static func clip(_ s: String, _ w: Int) -> String {
    var out = ""
    var used = 0
    for ch in s {
      let cw = TextWidth.of(ch)
      if used + cw > w { break }
      out.append(ch)
      used += cw
    }
    return out
  }

  /// The map as plain text `width` columns wide (`run --cache-map`, `replay --headless --cache-map`).
  public static func text(_ m: CacheMapModel?, width: Int = 104, ascii: Bool = false) -> String {
    lines(m, width: width, ascii: ascii).map { line in
      var s = line.map(\.text).joined()
      while s.hasSuffix(" ") { s.removeLast() }
      return s
    }.joined(separator: "\n")
  }
}
