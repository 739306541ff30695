/// Turns a stream of token ids into text without ever emitting a broken UTF-8 sequence: bytes of
/// an incomplete character wait until the token that completes it (an emoji split over tokens
/// shows up whole).
public struct StreamDecoder: Sendable {
  private var pending: [UInt8] = []

  public init() {}

  /// The text that became complete with these bytes.
  public mutating func push(_ bytes: [UInt8]) -> String {
    pending.append(contentsOf: bytes)
    let cut = Self.completePrefixLength(pending)
    guard cut > 0 else { return "" }
    let s = String(decoding: pending[0..<cut], as: UTF8.self)
    pending.removeFirst(cut)
    return s
  }

  /// Whatever is left (as replacement characters if incomplete).
  public mutating func flush() -> String {
    defer { pending.removeAll() }
    return String(decoding: pending, as: UTF8.self)
  }

  /// Length of the longest prefix that does not end inside a possibly-completable sequence.
  static func completePrefixLength(_ b: [UInt8]) -> Int {
    var i = b.count
    // Walk back over at most 3 continuation bytes to the last lead byte.
    var back = 0
    while back < 4 && i > 0 {
      let c = b[i - 1]
      if c & 0xC0 == 0x80 {
        i -= 1
        back += 1
        continue
      }
      let need: Int
      if c & 0x80 == 0 {
        need = 1
      } else if c & 0xE0 == 0xC0 {
        need = 2
      } else if c & 0xF0 == 0xE0 {
        need = 3
      } else if c & 0xF8 == 0xF0 {
        need = 4
      } else {
        need = 1
      }
      let have = b.count - (i - 1)
      return have < need ? i - 1 : b.count
    }
    return b.count
  }
}
