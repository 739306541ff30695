/// What the cache-map view shows (key `k`), as plain values: each view's blocks in order with
/// their lengths and offsets in that view, the blocks being written, how far each block moved
/// since the previous layout, and recent truncations. Built by the App from `layout` events.
public struct CacheMapModel: Equatable, Sendable {
  /// One block as one view sees it.
  public struct Block: Equatable, Sendable {
    /// The cache's name (`thinker_output`, `input_w`, …).
    public var name: String
    public var length: Int
    /// Where the view places it: the lengths of the blocks before it.
    public var offset: Int
    /// Offset now less the offset in the previous layout (0: did not move).
    public var shift: Int
    /// The current step writes into it (its last block for a stepping stream).
    public var writing: Bool
    /// Tokens just taken from it by a truncation or hold (0: none).
    public var cut: Int
    public init(name: String, length: Int, offset: Int, shift: Int = 0, writing: Bool = false, cut: Int = 0) {
      self.name = name
      self.length = length
      self.offset = offset
      self.shift = shift
      self.writing = writing
      self.cut = cut
    }
  }

  /// One view: "thinker", "writer" or "probe", its blocks in order.
  public struct View: Equatable, Sendable {
    public var name: String
    public var blocks: [Block]
    public init(name: String, blocks: [Block]) {
      self.name = name
      self.blocks = blocks
    }
    /// Tokens in the view: also the position of its next query.
    public var length: Int { blocks.last.map { $0.offset + $0.length } ?? 0 }
    /// The query rotation for `block` (paper §3.3): keys are stored at block positions 0…n−1, so
    /// the query at view position `length` is rotated to `length − offset` for this block.
    public func rotation(_ block: Block) -> Int { length - block.offset }
  }

  public var views: [View]
  /// Session time of the layout shown.
  public var time: Double
  /// Recent truncations, holds and turns, newest last (e.g. "✂ 3.20 s hold: ANSWER −5 …").
  public var notes: [String]

  public init(views: [View], time: Double, notes: [String] = []) {
    self.views = views
    self.time = time
    self.notes = notes
  }

  public func view(_ name: String) -> View? { views.first { $0.name == name } }
  /// The paper's layout: the thinker's view also holds the answer.
  public var thinkerSeesAnswer: Bool { view("thinker")?.blocks.contains { $0.name == "writer_output" } ?? false }

  /// A block's short label: the streams' blocks as THOUGHTS and ANSWER (as in the README's
  /// diagram), the scaffolding without its stream prefix or suffix (the view says whose it is).
  public static func label(_ name: String) -> String {
    switch name {
    case "thinker_output": return "THOUGHTS"
    case "writer_output": return "ANSWER"
    default:
      var s = Substring(name)
      for p in ["thinker_", "writer_"] where s.hasPrefix(p) { s = s.dropFirst(p.count) }
      for x in ["_t", "_w"] where s.hasSuffix(x) { s = s.dropLast(x.count) }
      return String(s)
    }
  }
}
