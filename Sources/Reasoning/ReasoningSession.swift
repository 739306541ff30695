import Foundation
import Transformer

/// Drives the policy over the engine: owns the blocks and streams of one conversation, performs
/// the policy's actions (batched steps, probes), and reports every event through `emit`.
/// Not thread-safe: call it from one (engine) queue.
public final class ReasoningSession {
  public let engine: Engine
  public let prompts: PromptSet
  public private(set) var policy: ReasoningPolicy
  public let clock: SessionClock
  public var emit: (TimedEvent) -> Void = { _ in }
  public private(set) var speech: SpeechClock
  public private(set) var endOfUtteranceTime: Double?
  public private(set) var computeSeconds = 0.0
  public private(set) var steps = 0
  public private(set) var probes = 0
  public private(set) var blockedTokens = 0
  /// The spoken answer so far (heard and written), the thoughts, the user's words.
  public private(set) var answerText = ""
  public private(set) var thoughtText = ""

  struct Stream {
    var block: BlockID
    var prefixLength: Int
    let starter: Int32  // the starter's last token: fed first, and again when the stream restarts
    var pending: Int32  // the token to feed next
    var sampled: [Int32] = []
    var decoder = StreamDecoder()
    var sampler: Sampler
  }

  private let store: KVStore
  private let model: Model
  private let tok: Tokenizer
  private let thinkerPrefix, writerPrefix, historyT, historyW, inputT, inputW, thinkerMid, writerMid, thinkerSplit, writerSplit, probeBlock: BlockID
  /// Lengths of what precedes each re-encodable block when it was last encoded.
  private var thinkerMidStale = false
  private var writerMidStale = false
  private var thinkerSplitEncodedAt = 0  // answer tokens
  private var writerSplitEncodedAt = 0  // thought tokens
  public private(set) var reencodedTokens = 0
  /// Re-encode the split blocks when the stream before them has grown (option; DECISIONS.md).
  public var reencodeSplits = true
  /// A split block is re-encoded only when the stream before it grew by more than this many
  /// tokens since its encoding (0 = always): the writer's scaffolding is brought up to date while
  /// the user is still speaking, and the few notes taken after that do not delay the first word.
  public var splitStaleTokens = 12
  /// Re-encode the writer's scaffolding at each complete sentence while the user speaks.
  public var prepareWriterWhileListening = true
  private var thinker: Stream
  private var writer: Stream
  private let yesIDs: [Int32]
  private let noIDs: [Int32]
  private let endOfThinking: Set<Int32>
  private let endOfTurn: Set<Int32>
  private let probeTokens: [Int32]
  /// The texts of the writer's two re-encodable blocks (the set's, or its direct answer).
  private let writerMidText: String
  private let writerSplitText: String
  private var probeBaseline = 0.0
  private var probeBaselineInput = -1  // input tokens when the baseline was measured
  private var pendingReminder: [Int32] = []
  private var pendingReminderText = ""
  /// Words heard when the thoughts last ended (the continuation note quotes what came after).
  private var thoughtsEndedAtWord = 0
  /// Words heard up to the end of the last complete sentence (what the thoughts could have read).
  private var wordsInCompleteSentences = 0
  /// Fed to a thinker whose ended thoughts were reopened (a paragraph break).
  private let paragraphToken: Int32
  private var thinkerReopened = false
  private var pendingBridge: [Int32] = []
  private var heardSoFar: [String] = []
  private var finishedEmitted = false
  private var sentenceJustCompleted = false
  /// Earlier turns as the listener heard them (question, spoken part of the answer).
  public private(set) var turns: [(user: String, assistant: String)] = []
  public private(set) var turnIndex = 0
  /// History tokens kept per view; older turns are dropped (with an event) beyond it.
  public var historyTokenLimit: Int

  /// `inputCapacity` and `streamCapacity` size the input blocks and the two stream blocks (tokens);
  /// what does not fit is handled by the capacity rules (`appendInput`, `step`).
  public init(engine: Engine, prompts: PromptSet, options: PolicyOptions, clock: SessionClock, seed: UInt64 = 0,
              sampling: SamplerOptions = .init(), wordsPerMinute: Double = 170, inputCapacity: Int = 1024, streamCapacity: Int = 4096,
              speechDurations: any SpeechDurations = WordsPerMinuteDurations()) {
    self.engine = engine
    self.prompts = prompts
    self.clock = clock
    policy = ReasoningPolicy(options: options)
    speech = SpeechClock(wordsPerMinute: wordsPerMinute, durations: speechDurations)
    store = engine.store
    model = engine.model
    let tok = engine.tokenizer
    self.tok = tok
    let ids = { (list: [String]) -> [Int32] in Self.tokenIDs(list, tok) }
    yesIDs = ids(prompts.yesTokens)
    noIDs = ids(prompts.noTokens)
    endOfThinking = Set(ids(prompts.endOfThinking))
    endOfTurn = engine.stopTokens
    probeTokens = tok.encode(prompts.probeQuestion)
    paragraphToken = tok.encodePlain("\n\n").last ?? 198
    let cap = streamCapacity
    thinkerPrefix = store.makeBlock("thinker_prefix", capacity: max(tok.encode(prompts.thinkerPrefix).count, 1))
    writerPrefix = store.makeBlock("writer_prefix", capacity: max(tok.encode(prompts.writerPrefix).count, 1))
    historyTokenLimit = min(2048, engine.model.maxContext / 2)
    historyT = store.makeBlock("history_t", capacity: historyTokenLimit + 64)
    historyW = store.makeBlock("history_w", capacity: historyTokenLimit + 64)
    inputT = store.makeBlock("input_t", capacity: inputCapacity)
    inputW = store.makeBlock("input_w", capacity: inputCapacity)
    thinkerMid = store.makeBlock("thinker_mid", capacity: max(tok.encode(prompts.thinkerMid).count, 1))
    // No-thinking answers as a plain chat turn when the set says how (a fair baseline: no empty
    // notes for the writer to comment on).
    let direct = options.strategy == .nothink ? prompts.directAnswer : nil
    writerMidText = direct ?? prompts.writerMid
    writerSplitText = direct == nil ? prompts.writerSplit : ""
    writerMid = store.makeBlock("writer_mid", capacity: max(tok.encode(writerMidText).count, 1))
    thinkerSplit = store.makeBlock("thinker_split", capacity: max(tok.encode(prompts.thinkerSplit).count, 1))
    writerSplit = store.makeBlock("writer_split", capacity: max(tok.encode(writerSplitText).count, 1))
    probeBlock = store.makeBlock("probe", capacity: probeTokens.count + 1)
    let tStarter = tok.encode(prompts.thinkerStarter)
    let wStarter = tok.encode(prompts.writerStarter)
    var tOptions = sampling
    tOptions.repetitionPenalty = max(tOptions.repetitionPenalty, prompts.thinkerRepetitionPenalty)
    var tSampler = Sampler(options: tOptions, seed: seed, forbidden: Set(ids(prompts.thinkerForbidden)))
    var wSampler = Sampler(options: sampling, seed: seed &+ 1, forbidden: Set(ids(prompts.writerForbidden)))
    tSampler.forbidden.subtract(endOfThinking)
    // The writer never writes the end of thinking, unless that token also ends its turn (an
    // instruct model's thinker ends its worked answer with the same `<|im_end|>`).
    wSampler.forbidden.formUnion(endOfThinking.subtracting(endOfTurn))
    if let chars = prompts.unspokenCharacters, !chars.isEmpty {
      let bytes = Set(chars.utf8)
      for id in 0..<tok.vocabularySize where tok.bytes(of: Int32(id)).contains(where: bytes.contains) {
        wSampler.forbidden.insert(Int32(id))
      }
    }
    let tFirst = tStarter.last ?? 198, wFirst = wStarter.last ?? 198
    thinker = Stream(block: store.makeBlock("thinker_output", capacity: cap), prefixLength: 0, starter: tFirst, pending: tFirst, sampler: tSampler)
    writer = Stream(block: store.makeBlock("writer_output", capacity: cap), prefixLength: 0, starter: wFirst, pending: wFirst, sampler: wSampler)
    forbiddenEndOfTurn = endOfTurn.intersection(wSampler.forbidden)
    // Static blocks, each prefilled once in the context its views give it.
    prefill(prompts.thinkerPrefix, view: [thinkerPrefix])
    prefill(prompts.writerPrefix, view: [writerPrefix])
    prefill(prompts.thinkerMid, view: [thinkerPrefix, historyT, inputT, thinkerMid])
    prefill(writerMidText, view: [writerPrefix, historyW, inputW, writerMid])
    if prompts.thinkerViewHoldsAnswer { prefill(prompts.thinkerSplit, view: thinkerView.dropLast() + [thinkerSplit]) }
    prefill(writerSplitText, view: writerView.dropLast() + [writerSplit])
    // Multi-token starters: all but the last go into the stream block as its prefix.
    if tStarter.count > 1 { model.prefill(Array(tStarter.dropLast()), view: thinkerView, store: store, wantLogits: false) }
    if wStarter.count > 1 { model.prefill(Array(wStarter.dropLast()), view: writerView, store: store, wantLogits: false) }
    thinker.prefixLength = store.length(thinker.block)
    writer.prefixLength = store.length(writer.block)
  }

  deinit {
    for b in [thinkerPrefix, writerPrefix, historyT, historyW, inputT, inputW, thinkerMid, writerMid, thinkerSplit, writerSplit, probeBlock, thinker.block, writer.block] { store.remove(b) }
  }

  var thinkerView: [BlockID] {
    prompts.thinkerViewHoldsAnswer
      ? [thinkerPrefix, historyT, inputT, thinkerMid, writer.block, thinkerSplit, thinker.block]
      : [thinkerPrefix, historyT, inputT, thinkerMid, thinker.block]
  }
  var writerView: [BlockID] { [writerPrefix, historyW, inputW, writerMid, thinker.block, writerSplit, writer.block] }
  public var mode: Mode { policy.mode }
  /// Answer tokens held in the writer's block (after its prefix), and the sampled answer tokens.
  public var writerCachedTokens: Int { store.length(writer.block) - writer.prefixLength }
  public var writerTokens: [Int32] { writer.sampled }
  /// Tokens in the two input blocks (thinker's, writer's).
  public var inputLengths: (thinker: Int, writer: Int) { (store.length(inputT), store.length(inputW)) }
  public var thinkerTokens: Int { thinker.sampled.count }
  /// Tokens in the two history blocks (thinker's, writer's).
  public var historyLengths: (thinker: Int, writer: Int) { (store.length(historyT), store.length(historyW)) }
  public var heardWords: [String] { heardSoFar }

  /// Single-token ids of the given strings (control tokens, vocabulary entries, or texts that
  /// encode to one token).
  static func tokenIDs(_ list: [String], _ tok: Tokenizer) -> [Int32] {
    list.compactMap { s in
      if let id = tok.special[s] ?? tok.id(of: s) { return id }
      let e = tok.encode(s)
      return e.count == 1 ? e[0] : nil
    }
  }

  private func prefill(_ text: String, view: [BlockID]) {
    let ids = tok.encode(text)
    if !ids.isEmpty { model.prefill(ids, view: view, store: store, wantLogits: false) }
  }

  private func send(_ e: ReasoningEvent) { emit(TimedEvent(t: clock.now, event: e)) }

  /// Tells the user about a limit the driver reached (e.g. a run's time limit).
  public func notice(_ text: String) { send(.notice(text)) }

  /// Books compute that started at `t0`: wall seconds, and the modelled cost on the clock.
  private func account(rows: Int = 0, prefill: Int = 0, since t0: Date) {
    computeSeconds += Date().timeIntervalSince(t0)
    clock.charge(rows: rows, prefill: prefill)
  }

  /// When set, gets one line per prefill the loop does besides decoding (what delays the first
  /// word), with its session time and cost (the executable sets it for `AV_TRACE=1`).
  public var tracer: ((String) -> Void)?
  private func trace(_ what: String, since t0: Date) {
    guard let tracer else { return }
    tracer(String(format: "TRACE %.2f %@ %.0f ms", clock.now, what, Date().timeIntervalSince(t0) * 1000))
  }

  private func applyPolicy(_ input: ReasoningPolicy.Input) {
    let wasSpeaking = policy.mode == .thinkingAndSpeaking || policy.mode == .speaking
    let thoughtsHadEnded = policy.thoughtsEnded
    policy.observe(input)
    if !thoughtsHadEnded && policy.thoughtsEnded { thoughtsEndedAtWord = wordsInCompleteSentences }
    if thoughtsHadEnded && !policy.thoughtsEnded {
      if policy.userSpeaking && prompts.continuation == nil {
        // Ended on part of the question, which has grown since: work it out again from the start
        // (the ended answer was to a question the user had not finished asking).
        restartThinker()
      } else {
        // Reopened: the end token was never fed; go on from a new paragraph, where the reminder
        // (an interjection's) or the continuation note (the words heard since) goes.
        thinker.pending = paragraphToken
        thinkerReopened = true
        if let note = prompts.continuation, policy.userSpeaking {
          let added = heardSoFar[min(thoughtsEndedAtWord, heardSoFar.count)...].joined(separator: " ")
          setReminder(note.replacingOccurrences(of: "{text}", with: added))
        }
      }
    }
    for (m, why) in policy.drainChanges() { send(.mode(m, reason: why)) }
    let speaking = policy.mode == .thinkingAndSpeaking || policy.mode == .speaking
    // A pause hands the partial chunk to speech, unless it ends inside a number (said whole, and
    // checked by the grounding rule, when the writer goes on).
    if wasSpeaking && !speaking && !speech.endsInNumber, let c = speech.flush(at: clock.now) {
      send(.spoken(c.text, start: c.start, duration: c.duration))
    }
  }

  // MARK: user side

  /// A word the user said (appended to the input block as it arrives).
  public func hear(_ word: String) {
    if turnIsOver(at: clock.now) { startTurn() }
    let text = heardSoFar.isEmpty ? word : " " + word
    heardSoFar.append(word)
    appendInput(text)
    send(.heard(word))
    let last = word.trimmingCharacters(in: .whitespaces).last
    let complete = last.map { ".?!。？！".contains($0) } ?? false
    if complete {
      sentenceJustCompleted = true
      wordsInCompleteSentences = heardSoFar.count
    }
    applyPolicy(.heardWords(sentenceComplete: complete))
    // Thoughts about part of a question anchor small models on a question the user never asked
    // (DECISIONS.md 2026-11-30): with this option they start over at every complete sentence.
    if complete && prompts.restartThoughtsOnNewSentence == true && !thinker.sampled.isEmpty { restartThinker() }
  }

  public func endOfUtterance() {
    endOfUtteranceTime = clock.now
    speech.reset(at: clock.now)
    send(.endOfUtterance)
    applyPolicy(.endOfUtterance)
  }

  /// The user interrupts: unheard answer text is undone, the words join the input.
  public func interject(_ text: String) {
    if turnIsOver(at: clock.now) {
      // After a complete, fully spoken answer, typed text is the next question, not an interjection.
      for w in text.split(separator: " ") { hear(String(w)) }
      endOfUtterance()
      return
    }
    send(.interjection(text))
    let dropped = speech.cut(at: clock.now)
    if dropped > 0 {
      let keep = max(0, writer.sampled.count - dropped)
      truncateWriter(keepTokens: keep)
      send(.truncated(.writer, dropped: dropped))
    }
    if prompts.restartAnswerOnInterjection == true && !writer.sampled.isEmpty {
      truncateWriter(keepTokens: 0)  // heard, so no event: the views keep it as said
    }
    appendInput("\n" + text)
    heardSoFar.append(text)
    wordsInCompleteSentences = heardSoFar.count
    // The reminder quotes at most `reminderWords` words: it goes into the thinker's own block.
    let said = text.split(separator: " ")
    let quote = said.count > Self.reminderWords ? said.prefix(Self.reminderWords).joined(separator: " ") + " …" : text
    setReminder(prompts.reminder.replacingOccurrences(of: "{text}", with: quote))
    if let b = prompts.writerBridge, !writer.sampled.isEmpty { pendingBridge = tok.encodePlain(b) }
    endOfUtteranceTime = endOfUtteranceTime ?? clock.now
    speech.reset(at: clock.now)
    finishedEmitted = false
    writerWasActive = false  // the writer's scaffolding is re-encoded with the new words
    applyPolicy(.interjection)
  }

  /// Starts the next turn (the user speaks again after an answer): the finished turn joins the
  /// history as it was heard (question and the spoken part of the answer, not the thoughts), the
  /// oldest turns are dropped past `historyTokenLimit`, and the streams start afresh.
  public func startTurn() {
    if nextTurnPrepared {  // done while idle after the answer (`prepareNextTurn`)
      nextTurnPrepared = false
      send(.turn(index: turnIndex, droppedTurns: preparedDrops))  // the turn begins now
    } else {
      setUpNextTurn(announce: true)
    }
  }

  /// The work of a new turn; `announce` sends the `turn` event (not when prepared ahead).
  /// Returns how many of the oldest turns were dropped.
  @discardableResult
  private func setUpNextTurn(announce: Bool) -> Int {
    let heard = speech.heardTokens(at: clock.now)
    let spoken = tok.decode(Array(writer.sampled.prefix(heard))).trimmingCharacters(in: .whitespacesAndNewlines)
    let question = heardSoFar.joined(separator: " ")
    if !question.isEmpty { turns.append((question, spoken)) }
    if endOfUtteranceTime != nil { lastTurn = (answerText.trimmingCharacters(in: .whitespacesAndNewlines), metrics) }
    var dropped = 0
    var ids = tok.encodePlain(prompts.historyText(turns))
    let historyLimit = min(historyTokenLimit, store.capacity(historyT), store.capacity(historyW))
    while ids.count > historyLimit && !turns.isEmpty {
      turns.removeFirst()
      dropped += 1
      ids = tok.encodePlain(prompts.historyText(turns))
    }
    turnIndex += 1
    if announce { send(.turn(index: turnIndex, droppedTurns: dropped)) }
    let t0 = Date()
    for (history, prefix) in [(historyT, thinkerPrefix), (historyW, writerPrefix)] {
      store.truncate(history, to: 0)
      if !ids.isEmpty { model.prefill(ids, view: [prefix, history], store: store, wantLogits: false) }
    }
    store.truncate(inputT, to: 0)
    store.truncate(inputW, to: 0)
    for s in [\ReasoningSession.thinker, \.writer] {
      store.truncate(self[keyPath: s].block, to: self[keyPath: s].prefixLength)
      self[keyPath: s].sampled = []
      self[keyPath: s].decoder = StreamDecoder()
      self[keyPath: s].pending = self[keyPath: s].starter
    }
    account(prefill: 2 * ids.count, since: t0)
    thinkerMidStale = true
    writerMidStale = true
    thinkerSplitEncodedAt = -1
    writerSplitEncodedAt = -1
    probeBaselineInput = -1
    answerText = ""
    mustGoOn = false
    writerTextEnds = []
    groundCheckedTo = 0
    thoughtText = ""
    heardSoFar = []
    wordsInCompleteSentences = 0
    thoughtsEndedAtWord = 0
    inputCutNoted = false
    pendingReminder = []
    pendingBridge = []
    endOfUtteranceTime = nil
    finishedEmitted = false
    writerWasActive = false
    sentenceJustCompleted = false
    policy = ReasoningPolicy(options: policy.options)
    speech = SpeechClock(wordsPerMinute: speech.wordsPerMinute, tokensPerChunk: speech.tokensPerChunk, durations: speech.durations)
    return dropped
  }

  /// True when the user finished a question and its answer is complete and fully spoken (or the
  /// next turn is already prepared): what the user says next is a new turn.
  public func turnIsOver(at t: Double) -> Bool {
    nextTurnPrepared || (endOfUtteranceTime != nil && policy.mode == .done && t >= speech.endOfSpeech)
  }

  /// The next turn's set-up (history block, emptied streams) already done while idle.
  public private(set) var nextTurnPrepared = false
  /// The answer and delays of the last finished turn, kept when the next one is prepared.
  public private(set) var lastTurn: (answer: String, metrics: DelayMetrics)?

  /// While nobody speaks after a fully spoken answer, sets up the next turn now (the history
  /// prefill is then off the path to the next answer's first word). Returns true if it did work.
  @discardableResult
  public func prepareNextTurn() -> Bool {
    guard !nextTurnPrepared, endOfUtteranceTime != nil, turnIsOver(at: clock.now) else { return false }
    preparedDrops = setUpNextTurn(announce: false)
    nextTurnPrepared = true
    return true
  }
  private var preparedDrops = 0

  /// Appends heard text to both input blocks. Past their room (the blocks' capacity, or the context
  /// limit less `inputReserve`) the rest of the turn's words are not heard: one note per turn says
  /// so, and the turn goes on with the words that fit.
  private func appendInput(_ text: String) {
    var ids = tok.encodePlain(text)
    guard !ids.isEmpty, !inputCutNoted else { return }  // once cut, the turn's later words stay out
    let fit = max(0, min(room([thinkerPrefix, historyT, inputT], reserve: inputReserve), room([writerPrefix, historyW, inputW], reserve: inputReserve)))
    if ids.count > fit {
      if !inputCutNoted {
        send(.notice("input full: the model hears the first \(store.length(inputT) + fit) tokens of this turn (input block \(store.capacity(inputT)) tokens, context \(model.maxContext)); later words are not heard"))
        inputCutNoted = true
      }
      ids = Array(ids.prefix(fit))
      guard !ids.isEmpty else { return }
    }
    let t0 = Date()
    model.prefill(ids, view: [thinkerPrefix, historyT, inputT], store: store, wantLogits: false)
    model.prefill(ids, view: [writerPrefix, historyW, inputW], store: store, wantLogits: false)
    account(prefill: 2 * ids.count, since: t0)
    thinkerMidStale = true
    writerMidStale = true
  }

  // MARK: capacity

  /// A reminder quotes at most this many words of an interjection.
  static let reminderWords = 100
  /// Thoughts and answer tokens the context keeps free after a full input.
  public static let streamReserve = 256
  private var inputCutNoted = false

  /// Tokens `view` can still take: what its last block can still hold, or what the model's
  /// context allows less `reserve`, whichever is fewer.
  private func room(_ view: [BlockID], reserve: Int = 0) -> Int {
    guard let last = view.last else { return 0 }
    let used = view.reduce(0) { $0 + store.length($1) }
    return min(store.capacity(last) - store.length(last), model.maxContext - used - reserve)
  }

  /// Context kept free after the input: what follows it in a view (scaffolding, both streams as
  /// they are, the probe) and `streamReserve` tokens for the streams to grow.
  private var inputReserve: Int {
    let t = store.capacity(thinkerMid) + store.capacity(thinkerSplit) + store.capacity(probeBlock)
    let w = store.capacity(writerMid) + store.capacity(writerSplit)
    return max(t, w) + store.length(thinker.block) + store.length(writer.block) + Self.streamReserve
  }

  /// Before a step: each stepping row needs room for its pending prefill and one token in its
  /// block, and both views hold both streams, so each view must take what both rows add (the
  /// thinker's also the probe). A stream without room ends (a note, then the policy decides).
  private func streamsFull(thinker doT: Bool, writer doW: Bool, reminder: Int) -> Bool {
    let needT = doT ? 1 + reminder : 0
    let needW = doW ? 1 + pendingBridge.count : 0
    let fullT = doT && room(thinkerView, reserve: needW + probeTokens.count) < needT
    let fullW = doW && room(writerView, reserve: needT) < needW
    guard fullT || fullW else { return false }
    for (full, s, kind) in [(fullT, thinker, "thinker"), (fullW, writer, "writer")] where full {
      send(.notice("\(kind) stopped: no room left (its block \(store.length(s.block))/\(store.capacity(s.block)) tokens, context \(model.maxContext))"))
    }
    applyPolicy(.streamFull(thinker: fullT, writer: fullW))
    return true
  }

  /// Re-encodes `block` (truncate, prefill its text again in `view`, whose last block it is).
  private func reencode(_ block: BlockID, _ text: String, view: [BlockID]) {
    let ids = tok.encode(text)
    guard !ids.isEmpty else { return }
    let t0 = Date()
    store.truncate(block, to: 0)
    model.prefill(ids, view: view, store: store, wantLogits: false)
    trace("reencode \(store.name(block)) \(ids.count) tok", since: t0)
    account(prefill: ids.count, since: t0)
    reencodedTokens += ids.count
  }

  /// Brings the thinker's scaffolding up to date with the words heard (and, as an option, the
  /// answer written) since it was encoded.
  private func refreshThinkerContext() {
    refreshContext(
      prefix: thinkerPrefix, history: historyT, input: inputT, mid: thinkerMid, midText: prompts.thinkerMid, midStale: &thinkerMidStale,
      other: writer, split: prompts.thinkerViewHoldsAnswer ? thinkerSplit : nil, splitText: prompts.thinkerSplit,
      splitEncodedAt: &thinkerSplitEncodedAt)
  }

  private func refreshWriterContext() {
    refreshContext(
      prefix: writerPrefix, history: historyW, input: inputW, mid: writerMid, midText: writerMidText, midStale: &writerMidStale,
      other: thinker, split: writerSplit, splitText: writerSplitText, splitEncodedAt: &writerSplitEncodedAt)
  }

  /// One stream's view is [prefix | history | input | mid | other stream | split | own stream]: re-encode
  /// `mid` when the input changed, and `split` when the other stream grew since it was encoded.
  private func refreshContext(
    prefix: BlockID, history: BlockID, input: BlockID, mid: BlockID, midText: String, midStale: inout Bool,
    other: Stream, split: BlockID?, splitText: String, splitEncodedAt: inout Int
  ) {
    if midStale {
      reencode(mid, midText, view: [prefix, history, input, mid])
      midStale = false
      if reencodeSplits { splitEncodedAt = -1 }
    }
    guard let split else { return }  // this view does not hold the other stream
    if reencodeSplits && (splitEncodedAt < 0 || other.sampled.count - splitEncodedAt > splitStaleTokens || other.sampled.count < splitEncodedAt) {
      reencode(split, splitText, view: [prefix, history, input, mid, other.block, split])
      splitEncodedAt = other.sampled.count
    }
  }

  /// A note for the thinker's stream, put in at its next line boundary.
  private func setReminder(_ text: String) {
    pendingReminderText = text
    pendingReminder = tok.encodePlain(text)
  }

  /// Empties the thinker's stream (an event tells the views).
  private func restartThinker() {
    let dropped = thinker.sampled.count
    store.truncate(thinker.block, to: thinker.prefixLength)
    thinker.sampled = []
    thinker.decoder = StreamDecoder()
    thinker.pending = thinker.starter
    thinkerReopened = false
    pendingReminder = []  // a note for the old thoughts; the input holds the words
    writerSplitEncodedAt = -1  // the writer's split follows the thoughts
    send(.truncated(.thinker, dropped: dropped))
    applyPolicy(.thoughtsRestarted)
  }

  private func truncateWriter(keepTokens k: Int) {
    // Block holds [prefix][starter][sampled[0..<fed]]; the next fed token is `pending`.
    if k == 0 {
      store.truncate(writer.block, to: writer.prefixLength)
      writer.pending = writer.starter
    } else {
      store.truncate(writer.block, to: min(store.length(writer.block), writer.prefixLength + k))
      writer.pending = writer.sampled[k - 1]
    }
    writer.sampled.removeLast(writer.sampled.count - k)
    if writerTextEnds.count >= k {
      writerTextEnds.removeLast(writerTextEnds.count - k)
      answerText = String(decoding: answerText.utf8.prefix(writerTextEnds.last ?? 0), as: UTF8.self)
    } else {
      answerText = tok.decode(writer.sampled)
    }
    groundCheckedTo = min(groundCheckedTo, answerText.utf8.count)
    writer.decoder = StreamDecoder()
  }

  // MARK: engine side

  /// Performs the policy's next action. Returns false when there is nothing to do now.
  @discardableResult
  public func tick() -> Bool {
    switch policy.nextAction() {
    case .wait: return false
    case .finish(let why):
      if !finishedEmitted {
        if let c = speech.flush(at: clock.now) { send(.spoken(c.text, start: c.start, duration: c.duration)) }
        send(.finished(why))
        finishedEmitted = true
      }
      return false
    case .probe:
      updateProbeBaseline()
      refreshThinkerContext()
      let r = runProbe(view: thinkerView + [probeBlock])
      let yes = r.logRatio - (prompts.probeRelative ? probeBaseline : 0) > prompts.probeMargin
      send(.probe(pYes: r.pYes, pNo: r.pNo, yes: yes))
      applyPolicy(.probeAnswered(yes: yes))
      return true
    case .step(let t, let w):
      step(thinker: t, writer: w)
      return true
    }
  }

  /// Asks the control question now (for `probe-check`), without changing the mode.
  public func probeNow() -> (pYes: Double, pNo: Double, logRatio: Double, yes: Bool) {
    updateProbeBaseline(anyMode: true)
    refreshThinkerContext()
    let r = runProbe(view: thinkerView + [probeBlock])
    return (r.pYes, r.pNo, r.logRatio, r.logRatio - (prompts.probeRelative ? probeBaseline : 0) > prompts.probeMargin)
  }

  /// The relative rule's baseline: the same question on empty thoughts, measured once per input
  /// (while the user still speaks when possible, off the path to the first word).
  private func updateProbeBaseline(anyMode: Bool = false) {
    guard prompts.probeRelative, anyMode || policy.options.strategy == .async, probeBaselineInput != store.length(inputT) else { return }
    refreshThinkerContext()
    probeBaseline = runProbe(view: thinkerView.dropLast() + [probeBlock]).logRatio  // without the thoughts
    probeBaselineInput = store.length(inputT)
  }

  private func runProbe(view: [BlockID]) -> (pYes: Double, pNo: Double, logRatio: Double) {
    // Past the context limit the question cannot be asked: it counts as "no".
    guard room(view) >= probeTokens.count else { return (0, 0, -.infinity) }
    probes += 1
    let t0 = Date()
    model.prefill(probeTokens, view: view, store: store, wantLogits: true)
    let l = model.logits(0)
    let mx = Double(l.max() ?? 0)
    var z = 0.0
    for v in l { z += exp(Double(v) - mx) }
    let p = { (ids: [Int32]) in ids.reduce(0.0) { $0 + exp(Double(l[Int($1)]) - mx) / z } }
    let py = p(yesIDs), pn = p(noIDs)
    store.truncate(probeBlock, to: 0)
    trace("probe \(probeTokens.count) tok", since: t0)
    account(prefill: probeTokens.count, since: t0)
    return (py, pn, log(max(py, 1e-30)) - log(max(pn, 1e-30)))
  }

  private var writerWasActive = false

  // MARK: grounding

  /// `answerText`'s UTF-8 length after each of the writer's sampled tokens.
  private var writerTextEnds: [Int] = []
  /// Bytes of `answerText` whose numbers were checked.
  private var groundCheckedTo = 0
  /// Set by `accept` when the writer's token finished an ungrounded number: the tokens to keep.
  private var heldAt: (keep: Int, value: String)?

  /// The grounding rules apply: the writer speaks while the thoughts still go on. Then it may not
  /// end its answer (the answer is not over before the thinking is; DECISIONS.md 2026-11-30), nor
  /// finish a number the thoughts have not reached (`ungroundedNumber`).
  private var writerTrailsThoughts: Bool { policy.options.groundNumbers && policy.mode == .thinkingAndSpeaking }

  /// The writer wanted to end before the thoughts did: once they have, it says at least one more
  /// sentence (it had summed up work in progress; the rest of the work is what it now adds).
  private var mustGoOn = false
  /// End-of-turn tokens the writer may never write anyway (kept forbidden after `mustGoOn`).
  private var forbiddenEndOfTurn: Set<Int32> = []

  /// When `text` (the writer's next token) finishes a number that neither the user's words, the
  /// thoughts, nor the answer before it hold, and all of the number's tokens are still unspoken:
  /// how many sampled tokens to keep (those before the number), and the number.
  private func ungroundedNumber(adding text: String, sampled: Int) -> (keep: Int, value: String)? {
    guard writerTrailsThoughts else { return nil }
    let full = answerText + text
    guard let n = Grounding.finishedNumber(in: full, after: groundCheckedTo) else { return nil }
    groundCheckedTo = n.end
    let before = String(decoding: full.utf8.prefix(n.start), as: UTF8.self)
    let known = Grounding.values(in: heardSoFar.joined(separator: " ")).union(Grounding.values(in: tok.decode(thinker.sampled)))
      .union(Grounding.values(in: before))
    guard !known.contains(n.value) else { return nil }
    let keep = writerTextEnds.firstIndex { $0 > n.start } ?? writerTextEnds.count
    // The tokens from `keep` on, but the one being accepted, are in the speech clock's pending chunk.
    guard speech.pendingTokens >= sampled - 1 - keep else { return nil }
    return (keep, n.value)
  }

  /// Takes back the writer's tokens from `keep` on (the last was never shown or spoken); with
  /// `keep` = all, only the last token's feeding (an end of turn that came too soon).
  private func takeBack(keep: Int, value: String) {
    let shown = max(0, writer.sampled.count - 1 - keep)
    speech.retract(shown)
    truncateWriter(keepTokens: keep)
    groundCheckedTo = answerText.utf8.count
    send(.held(value: value, dropped: shown))
  }

  private func step(thinker doT: Bool, writer doW: Bool) {
    if streamsFull(thinker: doT, writer: doW, reminder: doT && isBoundary(thinker) ? pendingReminder.count : 0) { return }
    if doT && thinkerMidStale && (policy.userSpeaking == false || sentenceJustCompleted) {
      refreshThinkerContext()
      // While the user still speaks, prepare the writer's scaffolding too (off the critical path).
      if policy.userSpeaking && prepareWriterWhileListening {
        refreshWriterContext()
        updateProbeBaseline()
      }
    }
    sentenceJustCompleted = false
    defer { if doT { thinkerReopened = false } }
    if doW && !writerWasActive { refreshWriterContext() }
    writerWasActive = doW
    if doT && !pendingReminder.isEmpty && isBoundary(thinker) {
      let t0 = Date()
      var shown = ""
      if thinkerReopened {  // the paragraph token already breaks the line
        let trimmed = String(pendingReminderText.drop { $0 == "\n" })
        if !trimmed.isEmpty { pendingReminder = tok.encodePlain(trimmed) }
        shown = tok.decode([thinker.pending])
      }
      model.prefill([thinker.pending] + pendingReminder.dropLast(), view: thinkerView, store: store, wantLogits: false)
      account(prefill: pendingReminder.count, since: t0)
      thinker.pending = pendingReminder.last!
      shown += tok.decode(pendingReminder)
      thoughtText += shown
      send(.token(.thinker, shown))
      pendingReminder = []
    }
    if doW && !pendingBridge.isEmpty {
      let t0 = Date()
      model.prefill([writer.pending] + pendingBridge.dropLast(), view: writerView, store: store, wantLogits: false)
      account(prefill: pendingBridge.count, since: t0)
      for id in pendingBridge { _ = accept(id, into: &writer, kind: .writer) }
      pendingBridge = []
    }
    var tokens: [Int32] = []
    var views: [[BlockID]] = []
    if doT { tokens.append(thinker.pending); views.append(thinkerView) }
    if doW { tokens.append(writer.pending); views.append(writerView) }
    let t0 = Date()
    model.forward(tokens: tokens, views: views, store: store, logitsFor: Array(0..<tokens.count))
    steps += 1
    var tFlags: ReasoningPolicy.TokenFlags? = nil
    var wFlags: ReasoningPolicy.TokenFlags? = nil
    var row = 0
    if doT {
      let before = thinker.sampler.blockedCount
      let next = thinker.sampler.sample(model.logits(row), recent: thinker.sampled.suffix(64))
      blockedTokens += thinker.sampler.blockedCount - before
      row += 1
      tFlags = accept(next, into: &thinker, kind: .thinker)
    }
    if doW {
      let before = writer.sampler.blockedCount
      let goOn = mustGoOn && policy.mode == .speaking
      if goOn { writer.sampler.forbidden.formUnion(endOfTurn) }
      let next = writer.sampler.sample(model.logits(row), recent: writer.sampled.suffix(64))
      if goOn { writer.sampler.forbidden.subtract(endOfTurn.subtracting(forbiddenEndOfTurn)) }
      blockedTokens += writer.sampler.blockedCount - before
      wFlags = accept(next, into: &writer, kind: .writer)
      if goOn && wFlags?.sentenceEnd == true { mustGoOn = false }
      if let h = heldAt {
        takeBack(keep: h.keep, value: h.value)
        heldAt = nil
      }
    }
    account(rows: tokens.count, since: t0)
    applyPolicy(.stepped(thinker: tFlags, writer: wFlags))
  }

  private func isBoundary(_ s: Stream) -> Bool {
    if thinkerReopened { return true }
    guard let last = s.sampled.last else { return true }
    return String(decoding: tok.bytes(of: last), as: UTF8.self).contains("\n")
  }

  private func accept(_ id: Int32, into s: inout Stream, kind: StreamKind) -> ReasoningPolicy.TokenFlags {
    let endTurn = endOfTurn.contains(id)
    let endThink = endOfThinking.contains(id)
    var flags = ReasoningPolicy.TokenFlags(endOfTurn: endTurn && kind == .writer, endOfThinking: endThink)
    if kind == .writer && endTurn && writerTrailsThoughts {
      heldAt = (s.sampled.count, "")  // nothing to take back but the end's feeding
      mustGoOn = true
      return ReasoningPolicy.TokenFlags(held: true)
    }
    if endTurn || endThink { return flags }
    s.sampled.append(id)
    s.pending = id
    let text = s.decoder.push(tok.bytes(of: id))
    let tail = tok.decode(Array(s.sampled.suffix(2)))
    flags.paragraphEnd = tail.hasSuffix("\n\n")
    flags.lineEnd = text.contains("\n")
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    flags.sentenceEnd = trimmed.hasSuffix(".") || trimmed.hasSuffix("?") || trimmed.hasSuffix("!")
    if kind == .thinker {
      thoughtText += text
    } else {
      if let h = ungroundedNumber(adding: text, sampled: s.sampled.count) {
        heldAt = h
        flags.held = true
        return flags
      }
      answerText += text
      writerTextEnds.append(answerText.utf8.count)
      if let c = speech.write(text, at: clock.now) { send(.spoken(c.text, start: c.start, duration: c.duration)) }
    }
    if !text.isEmpty { send(.token(kind, text)) }
    return flags
  }

  /// The listener's delays so far (from the end of the question).
  public var metrics: DelayMetrics {
    DelayMetrics.compute(chunks: speech.chunks, from: endOfUtteranceTime ?? 0)
  }
}
