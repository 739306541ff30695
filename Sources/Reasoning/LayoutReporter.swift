/// Decides when the session reports its cache layout as a `layout` event (DECISIONS.md
/// 2026-11-30): the stream blocks grow by a token every step, so a map that differs from the last
/// reported one only in their lengths is reported at most once per `minInterval` seconds of session
/// time; any other change — a block added, moved or re-encoded to another length, the input growing
/// by a word, the blocks being written, a truncation, a hold, a turn, the end — is reported at once.
/// A pure value: the table of inputs → reports is its test.
public struct LayoutReporter: Sendable {
  /// Report at all (recordings, the live map); off, the session sends no `layout` events.
  public var enabled = true
  /// Session seconds between reports of stream growth alone.
  public var minInterval = 0.2
  /// The blocks that grow every step (the two streams' own blocks).
  public static let streamBlocks: Set<String> = ["thinker_output", "writer_output"]

  /// The last map reported, and when.
  public private(set) var last: CacheMap?
  private var lastTime = -Double.infinity

  public init() {}

  /// Whether `map`, seen at session time `t`, is reported; `forced` (a truncation, hold, turn or
  /// end) reports any change at once. Remembers what it reports.
  public mutating func report(_ map: CacheMap, at t: Double, forced: Bool = false) -> Bool {
    guard enabled, map != last else { return false }
    guard forced || last == nil || t - lastTime >= minInterval || !Self.onlyStreamsGrew(from: last!, to: map) else {
      return false
    }
    last = map
    lastTime = t
    return true
  }

  /// The two maps differ only in the lengths of the stream blocks (and the offsets that follow).
  static func onlyStreamsGrew(from a: CacheMap, to b: CacheMap) -> Bool {
    guard a.writing == b.writing, a.views.map(\.name) == b.views.map(\.name) else { return false }
    for (va, vb) in zip(a.views, b.views) {
      guard va.entries.map(\.block) == vb.entries.map(\.block) else { return false }
      for (ea, eb) in zip(va.entries, vb.entries) where ea.length != eb.length && !streamBlocks.contains(ea.block) {
        return false
      }
    }
    return true
  }
}
