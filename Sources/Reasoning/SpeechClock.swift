/// The speaking model: written answer tokens become spoken chunks of 5 tokens (as the paper's
/// `chunk_tokens_with_latex`), each spoken at a words-per-minute rate once it is ready and the
/// previous chunk has ended (`compute_delays`); how long a chunk lasts is `durations`' answer.
/// Pure: times go in, a schedule comes out.
public struct SpeechClock: Sendable {
  public struct Chunk: Equatable, Sendable {
    public var text: String
    public var tokens: Int
    public var ready: Double
    public var start: Double
    public var duration: Double
    public var end: Double { start + duration }
    /// The chunk's words as the speaking model says them: at one rate through the chunk (its
    /// duration counts words), word k of n from `start + k·duration/n`. The one rule for when a
    /// word is said (screen, captions, tests).
    public var words: [Word] {
      let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
      let step = duration / Double(max(parts.count, 1))
      return parts.enumerated().map { k, w in
        Word(
          text: String(w), through: text.distance(from: text.startIndex, to: w.endIndex), start: start + Double(k) * step,
          end: start + Double(k + 1) * step)
      }
    }
    public init(text: String, tokens: Int, ready: Double, start: Double, duration: Double) {
      self.text = text
      self.tokens = tokens
      self.ready = ready
      self.start = start
      self.duration = duration
    }
  }

  /// A word of a chunk, said from `start` to `end`; `through` counts the chunk text's characters
  /// up to the word's end (what a screen shows as said once the word starts).
  public struct Word: Equatable, Sendable {
    public var text: String
    public var through: Int
    public var start: Double
    public var end: Double
  }

  public var wordsPerMinute: Double
  public var tokensPerChunk: Int
  /// Each chunk's duration (words per minute unless a TTS engine's are given).
  public let durations: any SpeechDurations
  public private(set) var chunks: [Chunk] = []
  /// The written tokens of the chunk being filled (not handed to speech yet).
  private var pending: [String] = []
  private var pendingText: String { pending.joined() }
  public var pendingTokens: Int { pending.count }
  private var lastEnd = 0.0
  /// While true, written tokens wait in the pending chunk and no chunk is made (the refusal gate
  /// has not decided: the answer may be dropped unheard); `release` ends it.
  public var holding = false

  public init(wordsPerMinute: Double = 170, tokensPerChunk: Int = 5, durations: any SpeechDurations = WordsPerMinuteDurations()) {
    self.wordsPerMinute = wordsPerMinute
    self.tokensPerChunk = tokensPerChunk
    self.durations = durations
  }

  /// Listening starts at `t`: nothing can be spoken before it.
  public mutating func reset(at t: Double) {
    lastEnd = max(lastEnd, t)
  }

  /// A written token at time t. Returns the chunk it completed, if any. A chunk never ends inside
  /// a number (after a digit, or a `.`/`,` right after one): the number is spoken whole, and it
  /// can still be taken back (`retract`) until the token after it.
  @discardableResult
  public mutating func write(_ text: String, at t: Double) -> Chunk? {
    pending.append(text)
    return chunkComplete ? flush(at: t) : nil
  }

  /// The pending tokens make a chunk: enough of them, not inside a number, not on a lone capital.
  private var chunkComplete: Bool { pending.count >= tokensPerChunk && !Self.endsInNumber(pendingText) && !endsInLetter }

  /// Ends `holding` at `t`: the held tokens become a chunk when they make one, or whatever their
  /// count when `closing` (the writer paused or finished while they were held).
  public mutating func release(at t: Double, closing: Bool) -> Chunk? {
    holding = false
    return closing || chunkComplete ? flush(at: t) : nil
  }

  /// The pending chunk ends inside a number.
  public var endsInNumber: Bool { Self.endsInNumber(pendingText) }
  /// The pending chunk ends on a capital A–E standing alone ("… is D"): it may be a choice
  /// letter, which the grounding rule takes back until the thoughts state it, so it is not said
  /// before what follows it is written (`Grounding.endsInPossibleChoice(_:)`).
  public var endsInLetter: Bool { Grounding.endsInPossibleChoice(pendingText) }

  static func endsInNumber(_ s: String) -> Bool {
    guard let last = s.last else { return false }
    if last.isASCII && last.isNumber { return true }
    guard last == "." || last == ",", let before = s.dropLast().last else { return false }
    return before.isASCII && before.isNumber
  }

  /// Takes back the last `n` written tokens that were not handed to speech yet; false (and
  /// nothing changes) when fewer are pending.
  @discardableResult
  public mutating func retract(_ n: Int) -> Bool {
    guard n <= pending.count else { return false }
    pending.removeLast(n)
    return true
  }

  /// Closes the partial chunk (the writer paused or finished).
  @discardableResult
  public mutating func flush(at t: Double) -> Chunk? {
    guard !pending.isEmpty, !holding else { return nil }
    let text = pendingText
    let duration = durations.duration(of: text, wordsPerMinute: wordsPerMinute)
    let start = max(lastEnd, t)
    let c = Chunk(text: text, tokens: pending.count, ready: t, start: start, duration: duration)
    chunks.append(c)
    lastEnd = c.end
    pending = []
    return c
  }

  /// Tokens the listener has heard (or is hearing) at time t.
  public func heardTokens(at t: Double) -> Int {
    chunks.filter { $0.start <= t }.reduce(0) { $0 + $1.tokens }
  }

  /// Cuts everything not yet started at t (an interjection). Returns tokens dropped.
  public mutating func cut(at t: Double) -> Int {
    let dropped = chunks.filter { Self.notStarted($0, at: t) }.reduce(0) { $0 + $1.tokens } + pending.count
    chunks.removeAll { Self.notStarted($0, at: t) }
    pending = []
    lastEnd = max(t, chunks.last?.end ?? t)
    return dropped
  }

  /// When the last word will have been said.
  public var endOfSpeech: Double { chunks.last?.end ?? 0 }

  /// The chunk had not started at `t`, so an interjection then drops it. Compared at a recording's
  /// resolution (1 ms, `TranscriptEvent`): a reader of the recording drops exactly the chunks the
  /// engine dropped, even when the interjection and the chunk's start round to the same ms.
  public static func notStarted(_ c: Chunk, at t: Double) -> Bool {
    (c.start * 1000).rounded() > (t * 1000).rounded()
  }
}
