/// A snapshot of the cache layout: each view as its blocks in order, with their lengths and
/// offsets in that view, and the blocks the current step writes. A pure value (for the cache-map
/// view and tests); `CacheLayout.describe` makes it.
public struct CacheMap: Equatable, Sendable {
  /// One block as a view sees it: it starts at `offset` (the lengths of the blocks before it).
  public struct Entry: Equatable, Sendable {
    public var block: String
    public var length: Int
    public var offset: Int
    public init(block: String, length: Int, offset: Int) {
      self.block = block
      self.length = length
      self.offset = offset
    }
  }

  /// One view: its name ("thinker", "writer", "probe") and its blocks in order.
  public struct View: Equatable, Sendable {
    public var name: String
    public var entries: [Entry]
    public init(name: String, entries: [Entry]) {
      self.name = name
      self.entries = entries
    }
    /// Tokens in the view.
    public var length: Int { entries.last.map { $0.offset + $0.length } ?? 0 }
  }

  public var views: [View]
  /// The blocks being written: the stream blocks of the streams the next step decodes, or the
  /// probe block when the next action asks the control question (none while the session waits).
  public var writing: [String]

  public init(views: [View], writing: [String]) {
    self.views = views
    self.writing = writing
  }

  /// The view named `name`.
  public func view(_ name: String) -> View? { views.first { $0.name == name } }

  /// Builds a view's entries from its blocks' names and lengths, in order.
  public static func view(_ name: String, _ blocks: [(name: String, length: Int)]) -> View {
    var offset = 0
    var entries: [Entry] = []
    for b in blocks {
      entries.append(Entry(block: b.name, length: b.length, offset: offset))
      offset += b.length
    }
    return View(name: name, entries: entries)
  }
}
