import Foundation
import Transformer

/// The blocks of one conversation and each stream's view of them (README "One cache, many views"):
///
///     thinker: [thinker_prefix | history_t | input_t | thinker_mid | (writer_output | thinker_split |) thinker_output▸]
///     writer : [writer_prefix  | history_w | input_w | writer_mid  | thinker_output | writer_split | writer_output▸]
///     probe  : thinker view + [probe▸]
///     request: [thinker_prefix | history_t | input_t | probe▸]
///
/// It owns what changes with the layout: which blocks exist and in what order each view holds
/// them, the scaffolding blocks (`mid`, `split`) that go stale when what precedes them changes and
/// their re-encoding, and the room each view has left. Not thread-safe: the engine queue.
final class CacheLayout {
  let store: KVStore
  let model: Model
  private let tok: Tokenizer
  private let meter: ComputeMeter
  let thinkerPrefix, writerPrefix, historyT, historyW, inputT, inputW: BlockID
  let thinkerMid, writerMid, thinkerSplit, writerSplit, probe: BlockID
  /// The two stream blocks (`TokenStream.block`).
  let thinkerOutput, writerOutput: BlockID
  /// The thinker's view also holds the answer (the paper's layout).
  let thinkerViewHoldsAnswer: Bool
  /// The texts of the re-encodable blocks.
  private let thinkerMidText, writerMidText, thinkerSplitText, writerSplitText: String
  /// The writer's split as tokens while it differs from `writerSplitText` (after an interjection:
  /// `setWriterSplit`); nil: the text.
  private var writerSplitOverride: [Int32]? = nil
  /// The override is not encoded yet.
  private var writerSplitChanged = false

  /// The `mid` blocks were encoded before the input last changed.
  private var thinkerMidStale = false
  private var writerMidStale = false
  /// Tokens of the other stream when each `split` block was encoded (-1: re-encode).
  private var thinkerSplitEncodedAt = 0  // answer tokens
  private var writerSplitEncodedAt = 0  // thought tokens
  private(set) var reencodedTokens = 0
  /// Re-encode the split blocks when the stream before them has grown (option; DECISIONS.md).
  var reencodeSplits = true
  /// A split block is re-encoded only when the stream before it grew by more than this many tokens
  /// since its encoding (0 = always).
  var splitStaleTokens = 12

  /// Makes the blocks (in a fixed order) and prefills the static ones, each once in the context its
  /// views give it. `writerMid`/`writerSplit` are the writer's texts (the set's, or its direct
  /// answer); `probeTokens` sizes the probe block; `writerSplitRoom` tokens more in the writer's
  /// split let it hold an interjection's turn (`setWriterSplit`).
  init(
    engine: Engine, prompts: PromptSet, meter: ComputeMeter, writerMid writerMidText: String, writerSplit writerSplitText: String,
    probeTokens: Int, historyCapacity: Int, inputCapacity: Int, streamCapacity: Int, writerSplitRoom: Int = 0
  ) {
    store = engine.store
    model = engine.model
    tok = engine.tokenizer
    self.meter = meter
    thinkerViewHoldsAnswer = prompts.thinkerViewHoldsAnswer
    thinkerMidText = prompts.thinkerMid
    thinkerSplitText = prompts.thinkerSplit
    self.writerMidText = writerMidText
    self.writerSplitText = writerSplitText
    let store = engine.store, tok = engine.tokenizer
    func sized(_ text: String) -> Int { max(tok.encode(text).count, 1) }
    thinkerPrefix = store.makeBlock("thinker_prefix", capacity: sized(prompts.thinkerPrefix))
    writerPrefix = store.makeBlock("writer_prefix", capacity: sized(prompts.writerPrefix))
    historyT = store.makeBlock("history_t", capacity: historyCapacity)
    historyW = store.makeBlock("history_w", capacity: historyCapacity)
    inputT = store.makeBlock("input_t", capacity: inputCapacity)
    inputW = store.makeBlock("input_w", capacity: inputCapacity)
    thinkerMid = store.makeBlock("thinker_mid", capacity: sized(prompts.thinkerMid))
    writerMid = store.makeBlock("writer_mid", capacity: sized(writerMidText))
    thinkerSplit = store.makeBlock("thinker_split", capacity: sized(prompts.thinkerSplit))
    writerSplit = store.makeBlock("writer_split", capacity: sized(writerSplitText) + writerSplitRoom)
    probe = store.makeBlock("probe", capacity: probeTokens + 1)
    thinkerOutput = store.makeBlock("thinker_output", capacity: streamCapacity)
    writerOutput = store.makeBlock("writer_output", capacity: streamCapacity)
  }

  /// Prefills the static blocks, then each stream's starter but its last token (the stream's
  /// prefix). Returns the two prefix lengths.
  func prefillStatic(prompts: PromptSet, thinkerStarter: [Int32], writerStarter: [Int32]) -> (thinker: Int, writer: Int) {
    prefill(prompts.thinkerPrefix, view: [thinkerPrefix])
    prefill(prompts.writerPrefix, view: [writerPrefix])
    prefill(thinkerMidText, view: [thinkerPrefix, historyT, inputT, thinkerMid])
    prefill(writerMidText, view: [writerPrefix, historyW, inputW, writerMid])
    if thinkerViewHoldsAnswer { prefill(thinkerSplitText, view: thinkerView.dropLast() + [thinkerSplit]) }
    prefill(writerSplitText, view: writerView.dropLast() + [writerSplit])
    if thinkerStarter.count > 1 {
      model.prefill(Array(thinkerStarter.dropLast()), view: thinkerView, store: store, wantLogits: false)
    }
    if writerStarter.count > 1 {
      model.prefill(Array(writerStarter.dropLast()), view: writerView, store: store, wantLogits: false)
    }
    return (store.length(thinkerOutput), store.length(writerOutput))
  }

  deinit {
    for b in allBlocks { store.remove(b) }
  }

  private var allBlocks: [BlockID] {
    [
      thinkerPrefix, writerPrefix, historyT, historyW, inputT, inputW, thinkerMid, writerMid, thinkerSplit, writerSplit, probe,
      thinkerOutput, writerOutput,
    ]
  }

  // MARK: views

  var thinkerView: [BlockID] {
    thinkerViewHoldsAnswer
      ? [thinkerPrefix, historyT, inputT, thinkerMid, writerOutput, thinkerSplit, thinkerOutput]
      : [thinkerPrefix, historyT, inputT, thinkerMid, thinkerOutput]
  }
  var writerView: [BlockID] {
    writerSeesThoughts
      ? [writerPrefix, historyW, inputW, writerMid, thinkerOutput, writerSplit, writerOutput]
      : [writerPrefix, historyW, inputW, writerMid, writerSplit, writerOutput]
  }
  /// False for no-thinking answers: the thinker's block then holds only the refusal gate's words.
  var writerSeesThoughts = true
  func view(_ kind: StreamKind) -> [BlockID] { kind == .thinker ? thinkerView : writerView }
  /// The control question after the thoughts; the baseline asks it without them.
  var probeView: [BlockID] { thinkerView + [probe] }
  var baselineView: [BlockID] { thinkerView.dropLast() + [probe] }
  /// The request check after the user's words, in the thinker's context (`PromptSet.RequestCheck`).
  var requestView: [BlockID] { [thinkerPrefix, historyT, inputT, probe] }

  /// What the cache holds now, view by view (a pure snapshot), with the blocks being written: those
  /// of the streams in `writing`, and the probe's when `probing`.
  func describe(writing: [StreamKind] = [], probing: Bool = false) -> CacheMap {
    func entries(_ v: [BlockID]) -> [(name: String, length: Int)] { v.map { (store.name($0), store.length($0)) } }
    return CacheMap(
      views: [
        CacheMap.view("thinker", entries(thinkerView)), CacheMap.view("writer", entries(writerView)),
        CacheMap.view("probe", entries(probeView)),
      ],
      writing: writing.map { store.name($0 == .thinker ? thinkerOutput : writerOutput) } + (probing ? [store.name(probe)] : []))
  }

  // MARK: lengths and room

  var inputLengths: (thinker: Int, writer: Int) { (store.length(inputT), store.length(inputW)) }
  var historyLengths: (thinker: Int, writer: Int) { (store.length(historyT), store.length(historyW)) }
  var inputCapacity: Int { store.capacity(inputT) }
  /// History tokens both history blocks can hold, at most `limit`.
  func historyRoom(limit: Int) -> Int { min(limit, store.capacity(historyT), store.capacity(historyW)) }

  /// Tokens `view` can still take: what its last block can still hold, or what the model's
  /// context allows less `reserve`, whichever is fewer.
  func room(_ view: [BlockID], reserve: Int = 0) -> Int {
    guard let last = view.last else { return 0 }
    let used = view.reduce(0) { $0 + store.length($1) }
    return min(store.capacity(last) - store.length(last), model.maxContext - used - reserve)
  }

  /// Input tokens both input blocks can still take, keeping room for what follows the input:
  /// scaffolding, both streams as they are, the probe, and `streamReserve` tokens to grow.
  func inputRoom(streamReserve: Int) -> Int {
    let t = store.capacity(thinkerMid) + store.capacity(thinkerSplit) + store.capacity(probe)
    let w = store.capacity(writerMid) + store.capacity(writerSplit)
    let reserve = max(t, w) + store.length(thinkerOutput) + store.length(writerOutput) + streamReserve
    return max(
      0,
      min(room([thinkerPrefix, historyT, inputT], reserve: reserve), room([writerPrefix, historyW, inputW], reserve: reserve)))
  }

  /// A stream's block as "length/capacity" (for notes).
  func fill(_ kind: StreamKind) -> String {
    let b = kind == .thinker ? thinkerOutput : writerOutput
    return "\(store.length(b))/\(store.capacity(b))"
  }

  // MARK: changes

  /// Heard tokens join both input blocks; the scaffolding after them goes stale.
  func appendInput(_ ids: [Int32]) {
    let t0 = Date()
    let views = [[thinkerPrefix, historyT, inputT], [writerPrefix, historyW, inputW]]
    if 2 * ids.count <= Model.batchRowsWithSameBits {  // one pass, the same bits (a word is 1–2 tokens)
      model.prefill(batch: views.map { (ids, $0) }, store: store)
    } else {
      for v in views { model.prefill(ids, view: v, store: store, wantLogits: false) }
    }
    meter.book(prefill: 2 * ids.count, since: t0)
    thinkerMidStale = true
    writerMidStale = true
  }

  /// A new turn: the history blocks hold `history` (encoded after each prefix), the inputs are
  /// emptied, and all scaffolding goes stale. The streams are emptied by their owner.
  func startTurn(history ids: [Int32]) {
    let t0 = Date()
    for (history, prefix) in [(historyT, thinkerPrefix), (historyW, writerPrefix)] {
      store.truncate(history, to: 0)
      if !ids.isEmpty { model.prefill(ids, view: [prefix, history], store: store, wantLogits: false) }
    }
    store.truncate(inputT, to: 0)
    store.truncate(inputW, to: 0)
    meter.book(prefill: 2 * ids.count, since: t0)
    thinkerMidStale = true
    writerMidStale = true
    thinkerSplitEncodedAt = -1
    writerSplitEncodedAt = -1
    writerSplitChanged = writerSplitOverride != nil  // back to the set's split, encoded anew
    writerSplitOverride = nil
  }

  /// The writer's split becomes `ids` (the set's split, then an interjection's turn), re-encoded
  /// at the writer's next refresh; false, and nothing changes, if they do not fit its block.
  @discardableResult
  func setWriterSplit(_ ids: [Int32]) -> Bool {
    guard ids.count <= store.capacity(writerSplit) else { return false }
    writerSplitOverride = ids
    writerSplitChanged = true
    return true
  }

  /// The split's tokens (the set's text unless an interjection changed it).
  func writerSplitTokens() -> [Int32] { writerSplitOverride ?? baseWriterSplitTokens }
  /// The set's split text as tokens.
  var baseWriterSplitTokens: [Int32] { tok.encode(writerSplitText) }

  /// The thoughts started over: the writer's split (after the thoughts) is re-encoded next time.
  func thoughtsRestarted() { writerSplitEncodedAt = -1 }

  /// The thinker's mid block is stale (the input changed since it was encoded).
  var thinkerContextStale: Bool { thinkerMidStale }

  /// Brings the thinker's scaffolding up to date with the input (and, in the paper's layout, with
  /// the answer: `answerTokens` written so far).
  func refreshThinker(answerTokens: Int) {
    refresh(
      prefix: thinkerPrefix, history: historyT, input: inputT, mid: thinkerMid, midText: thinkerMidText,
      midStale: &thinkerMidStale,
      otherTokens: answerTokens, split: thinkerViewHoldsAnswer ? thinkerSplit : nil, splitView: thinkerView.dropLast(),
      splitIDs: { self.tok.encode(self.thinkerSplitText) },
      splitEncodedAt: &thinkerSplitEncodedAt)
  }

  /// Brings the writer's scaffolding up to date with the input and the thoughts (`thoughtTokens`).
  func refreshWriter(thoughtTokens: Int) {
    let changed = writerSplitChanged
    writerSplitChanged = false
    refresh(
      prefix: writerPrefix, history: historyW, input: inputW, mid: writerMid, midText: writerMidText, midStale: &writerMidStale,
      otherTokens: thoughtTokens, split: writerSplit, splitView: writerView.dropLast(), splitIDs: writerSplitTokens,
      splitEncodedAt: &writerSplitEncodedAt, splitChanged: changed)
  }

  /// Asks `question` at the end of `view` (the request check) in one pass with the stale mids the
  /// next refreshes would re-encode (`thinker`, `writer`), which then find them fresh: the weights
  /// are read once for all three (`Model.prefill(batch:)`; ~0.1 s less on the 1.5B at every
  /// sentence the user completes, on a 2-core AVX2 EPYC). Returns the question's logits; the
  /// question's block is the caller's to clear.
  func ask(_ question: [Int32], at view: [BlockID], withStaleMids thinker: Bool, _ writer: Bool) -> [Float] {
    let t0 = Date()
    var parts: [(tokens: [Int32], view: [BlockID])] = [(question, view)]
    var names = ["question \(question.count)"]
    func mid(
      _ block: BlockID, _ text: String, _ prefix: BlockID, _ history: BlockID, _ input: BlockID, _ stale: inout Bool,
      _ splitAt: inout Int
    ) {
      guard stale else { return }
      let ids = tok.encode(text)
      store.truncate(block, to: 0)
      midEncoded(&stale, &splitAt)
      guard !ids.isEmpty else { return }
      parts.append((ids, [prefix, history, input, block]))
      names.append("\(store.name(block)) \(ids.count)")
      reencodedTokens += ids.count
    }
    if thinker { mid(thinkerMid, thinkerMidText, thinkerPrefix, historyT, inputT, &thinkerMidStale, &thinkerSplitEncodedAt) }
    if writer { mid(writerMid, writerMidText, writerPrefix, historyW, inputW, &writerMidStale, &writerSplitEncodedAt) }
    let logits = model.prefill(batch: parts, store: store, logitsOf: 0) ?? []
    let tokens = parts.reduce(0) { $0 + $1.tokens.count }
    meter.trace("batch \(names.joined(separator: " + ")) tok", since: t0)
    meter.book(prefill: tokens, since: t0)
    return logits
  }

  /// One stream's view is [prefix | history | input | mid | other stream | split | own stream]:
  /// re-encode `mid` when the input changed, and `split` when the other stream changed by more
  /// than `splitStaleTokens` since it was encoded, or when its own words changed (`splitChanged`,
  /// whatever `reencodeSplits` says).
  private func refresh(
    prefix: BlockID, history: BlockID, input: BlockID, mid: BlockID, midText: String, midStale: inout Bool,
    otherTokens: Int, split: BlockID?, splitView: [BlockID], splitIDs: () -> [Int32], splitEncodedAt: inout Int,
    splitChanged: Bool = false
  ) {
    if midStale {
      reencode(mid, ids: tok.encode(midText), view: [prefix, history, input, mid])
      midEncoded(&midStale, &splitEncodedAt)
    }
    guard let split else { return }  // this view does not hold the other stream
    let stale = splitEncodedAt < 0 || otherTokens - splitEncodedAt > splitStaleTokens || otherTokens < splitEncodedAt
    if splitChanged || (reencodeSplits && stale) {
      reencode(split, ids: splitIDs(), view: splitView)
      splitEncodedAt = otherTokens
    }
  }

  /// A mid was encoded again: it is fresh, and the split after it (which read the old one) is
  /// stale, whatever `reencodeSplits` says of the thoughts' growth.
  private func midEncoded(_ stale: inout Bool, _ splitEncodedAt: inout Int) {
    stale = false
    if reencodeSplits { splitEncodedAt = -1 }
  }

  /// Re-encodes `block` (truncate, prefill `ids` again in `view`, whose last block it is).
  private func reencode(_ block: BlockID, ids: [Int32], view: [BlockID]) {
    store.truncate(block, to: 0)  // an empty text empties the block (a turn's split after a reset)
    guard !ids.isEmpty else { return }
    let t0 = Date()
    model.prefill(ids, view: view, store: store, wantLogits: false)
    meter.trace("reencode \(store.name(block)) \(ids.count) tok", since: t0)
    meter.book(prefill: ids.count, since: t0)
    reencodedTokens += ids.count
  }

  private func prefill(_ text: String, view: [BlockID]) {
    let ids = tok.encode(text)
    if !ids.isEmpty { model.prefill(ids, view: view, store: store, wantLogits: false) }
  }
}
