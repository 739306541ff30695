import Transformer

/// One decoded stream (the thinker's or the writer's): its block of the cache, its sampler, the
/// decoder that turns its tokens into text, and its starter. The block holds
/// [prefix][starter][sampled[0..<fed]]; the next token fed is `pending`.
final class TokenStream {
  let kind: StreamKind
  let block: BlockID
  /// Tokens of the block before the stream's own (all but the last starter token).
  var prefixLength = 0
  /// The starter's last token: fed first, and again when the stream restarts.
  let starter: Int32
  /// The token to feed next.
  var pending: Int32
  private(set) var sampled: [Int32] = []
  private(set) var decoder = StreamDecoder()
  var sampler: Sampler
  /// The calculator's result, fed before anything is sampled (`Calculator`).
  var forced: [Int32] = []
  /// Right after a forced result, or a fed text that ends in a digit, no digit may follow ("391"
  /// must not become "3911"; a correction's "the answer is 11" not "110").
  private var noDigitNext = false

  init(kind: StreamKind, block: BlockID, starter: Int32, sampler: Sampler) {
    self.kind = kind
    self.block = block
    self.starter = starter
    pending = starter
    self.sampler = sampler
  }

  /// The next token from `logits` (the sampler's mask and repetition window), and how many times
  /// the mask overruled the top token doing so.
  func sample(_ logits: UnsafeMutableBufferPointer<Float>, digits: [Int32] = []) -> (id: Int32, blocked: Int) {
    if !forced.isEmpty {
      noDigitNext = forced.count == 1
      return (forced.removeFirst(), 0)
    }
    if noDigitNext {
      for d in digits where Int(d) < logits.count { logits[Int(d)] = -.infinity }
      noDigitNext = false
    }
    let before = sampler.blockedCount
    let id = sampler.sample(logits, recent: sampled.suffix(64))
    return (id, sampler.blockedCount - before)
  }

  /// Takes a sampled token into the stream: fed next, and its text if it completed any.
  func append(_ id: Int32, bytes: [UInt8]) -> String {
    sampled.append(id)
    pending = id
    return decoder.push(bytes)
  }

  /// Tokens were fed whose `text` ends in a digit (a correction's "the answer is 11"): the next
  /// sampled token may not go on with that number.
  func endsNumber(_ text: String) {
    if let c = text.unicodeScalars.last, ("0"..."9").contains(c) { noDigitNext = true }
  }

  /// Empties the stream: back to its prefix, the starter fed next.
  func restart(store: KVStore) {
    store.truncate(block, to: prefixLength)
    sampled = []
    decoder = StreamDecoder()
    pending = starter
    forced = []
  }

  /// Keeps the first `keep` sampled tokens (the cache and the stream), feeding the last kept next.
  func truncate(keep k: Int, store: KVStore) {
    if k == 0 {
      store.truncate(block, to: prefixLength)
      pending = starter
    } else {
      store.truncate(block, to: min(store.length(block), prefixLength + k))
      pending = sampled[k - 1]
    }
    sampled.removeLast(sampled.count - k)
    decoder = StreamDecoder()
    forced = []
  }
}
