import Foundation
import Transformer

/// Drives the policy over the engine for one conversation: asks `ReasoningPolicy` what to do and
/// performs it on the parts that own the state — the cache layout (blocks, views, re-encoding),
/// the two token streams, the control probe, the written answer, the turn history — reporting
/// every event through `emit`. Not thread-safe: call it from one (engine) queue.
public final class ReasoningSession {
  public let engine: Engine
  public let prompts: PromptSet
  public internal(set) var policy: ReasoningPolicy
  public var clock: SessionClock { meter.clock }
  public var emit: (TimedEvent) -> Void = { _ in }
  public internal(set) var speech: SpeechClock
  public internal(set) var endOfUtteranceTime: Double?
  public internal(set) var steps = 0
  public internal(set) var blockedTokens = 0
  /// The thoughts so far.
  public internal(set) var thoughtText = ""
  /// Earlier turns, the turn index, the history limit, a prepared next turn.
  public internal(set) var history: TurnHistory
  /// Re-encode the writer's scaffolding at each complete sentence while the user speaks.
  public var prepareWriterWhileListening = true

  let meter: ComputeMeter
  let layout: CacheLayout
  let probe: ControlProbe
  /// The set's request check (nil: none).
  let requestCheck: ControlProbe?
  let thinker: TokenStream
  let writer: TokenStream
  let tokens: SpecialTokens
  var answer = WrittenAnswer()
  var guards = AnswerGuards()
  var listening = HeardWords()
  /// A note for the thoughts at their next line boundary (an interjection's reminder, or the
  /// continuation note), and a writer's bridge after an interjection.
  var pendingReminder: [Int32] = []
  var pendingReminderText = ""
  var pendingBridge: [Int32] = []
  /// The answer as heard when an interjection last cut one this turn (the interjection turn quotes it).
  var heardBeforeInterjection = ""
  /// The thinker's ended thoughts were reopened (it is fed a paragraph break).
  var thinkerReopened = false
  var finishedEmitted = false
  var writerWasActive = false
  /// End-of-turn tokens the writer may never write anyway (kept forbidden after `mustGoOn`).
  let forbiddenEndOfTurn: Set<Int32>
  /// When the cache layout is reported (`layout` events; ReasoningSession+Layout).
  var layoutReporter = LayoutReporter()

  /// `inputCapacity` and `streamCapacity` size the input blocks and the two stream blocks (tokens);
  /// what does not fit is handled by the capacity rules (`appendInput`, `step`).
  public init(
    engine: Engine, prompts: PromptSet, options: PolicyOptions, clock: SessionClock, seed: UInt64 = 0,
    sampling: SamplerOptions = .init(), wordsPerMinute: Double = 170, inputCapacity: Int = 1024, streamCapacity: Int = 4096,
    speechDurations: any SpeechDurations = WordsPerMinuteDurations()
  ) {
    self.engine = engine
    self.prompts = prompts
    meter = ComputeMeter(clock: clock)
    policy = ReasoningPolicy(options: options)
    speech = SpeechClock(wordsPerMinute: wordsPerMinute, durations: speechDurations)
    let tok = engine.tokenizer
    tokens = SpecialTokens(prompts: prompts, engine: engine)
    let question = tok.encode(prompts.probeQuestion)
    let checkQuestion = prompts.requestCheck.map { tok.encode($0.question) } ?? []
    history = TurnHistory(tokenLimit: min(2048, engine.model.maxContext / 2))
    // No-thinking answers as a plain chat turn when the set says how (a fair baseline: no empty
    // notes for the writer to comment on).
    let direct = options.strategy == .nothink ? prompts.directAnswer : nil
    layout = CacheLayout(
      engine: engine, prompts: prompts, meter: meter, writerMid: direct ?? prompts.writerMid,
      writerSplit: direct == nil ? prompts.writerSplit(for: options.strategy) : "",
      probeTokens: max(question.count, checkQuestion.count),
      historyCapacity: history.tokenLimit + 64, inputCapacity: inputCapacity, streamCapacity: streamCapacity,
      writerSplitRoom: prompts.interjectionTurn.map { tok.encode($0).count + Self.interjectionTurnRoom } ?? 0)
    probe = ControlProbe(question: question, prompts: prompts, tokenizer: tok, layout: layout, meter: meter)
    let (layout, meter) = (layout, meter)
    requestCheck = prompts.requestCheck.map {
      ControlProbe(check: $0, question: checkQuestion, tokenizer: tok, layout: layout, meter: meter)
    }
    let tStarter = tok.encode(prompts.thinkerStarter)
    let wStarter = tok.encode(prompts.writerStarter)
    let wSampler = tokens.writerSampler(prompts: prompts, sampling: sampling, seed: seed, tok)
    thinker = TokenStream(
      kind: .thinker, block: layout.thinkerOutput, starter: tStarter.last ?? 198,
      sampler: tokens.thinkerSampler(prompts: prompts, sampling: sampling, seed: seed, tok))
    writer = TokenStream(kind: .writer, block: layout.writerOutput, starter: wStarter.last ?? 198, sampler: wSampler)
    forbiddenEndOfTurn = tokens.endOfTurn.intersection(wSampler.forbidden)
    layout.writerSeesThoughts = options.strategy != .nothink
    (thinker.prefixLength, writer.prefixLength) = layout.prefillStatic(
      prompts: prompts, thinkerStarter: tStarter, writerStarter: wStarter)
  }

  // MARK: what the session shows

  public var mode: Mode { policy.mode }
  /// The spoken answer so far (heard and written).
  public var answerText: String { answer.text }
  /// Answer tokens held in the writer's block (after its prefix), and the sampled answer tokens.
  public var writerCachedTokens: Int { layout.store.length(writer.block) - writer.prefixLength }
  public var writerTokens: [Int32] { writer.sampled }
  /// The writer's split block: the tokens it is to hold (the set's split, then an interjection's
  /// turn), and how many it holds now (the turn's are encoded at the writer's next refresh).
  public var writerSplit: (tokens: [Int32], cached: Int) { (layout.writerSplitTokens(), layout.store.length(layout.writerSplit)) }
  public var thinkerTokens: Int { thinker.sampled.count }
  /// Tokens in the two input blocks, and in the two history blocks (thinker's, writer's).
  public var inputLengths: (thinker: Int, writer: Int) { layout.inputLengths }
  public var historyLengths: (thinker: Int, writer: Int) { layout.historyLengths }
  public var heardWords: [String] { listening.words }
  public var turns: [TurnHistory.Turn] { history.turns }
  public var nextTurnPrepared: Bool { history.nextTurnPrepared }
  public var lastTurn: (answer: String, metrics: DelayMetrics)? { history.lastTurn }
  public var probes: Int { probe.count }
  public var computeSeconds: Double { meter.computeSeconds }
  public var reencodedTokens: Int { layout.reencodedTokens }
  /// The cache as it is: each view's blocks with lengths and offsets, and the blocks the next action
  /// writes (the stepping streams', or the probe's; for the cache-map view).
  public var cacheMap: CacheMap {
    switch policy.nextAction() {
    case .step(let t, let w): return layout.describe(writing: (t ? [.thinker] : []) + (w ? [.writer] : []))
    case .probe: return layout.describe(probing: true)
    default: return layout.describe()
    }
  }
  /// The listener's delays so far (from the end of the question).
  public var metrics: DelayMetrics { DelayMetrics.compute(chunks: speech.chunks, from: endOfUtteranceTime ?? 0) }

  // MARK: options

  /// History tokens kept per view; older turns are dropped (with an event) beyond it.
  public var historyTokenLimit: Int {
    get { history.tokenLimit }
    set { history.tokenLimit = newValue }
  }

  /// Re-encode the split blocks when the stream before them has grown (option; DECISIONS.md).
  public var reencodeSplits: Bool {
    get { layout.reencodeSplits }
    set { layout.reencodeSplits = newValue }
  }
  /// A split block is re-encoded only when the stream before it grew by more than this many
  /// tokens since its encoding (0 = always): the writer's scaffolding is brought up to date while
  /// the user is still speaking, and the few notes taken after that do not delay the first word.
  public var splitStaleTokens: Int {
    get { layout.splitStaleTokens }
    set { layout.splitStaleTokens = newValue }
  }
  /// When set, gets one line per prefill the loop does besides decoding (what delays the first
  /// word), with its session time and cost.
  public var tracer: ((String) -> Void)? {
    get { meter.tracer }
    set { meter.tracer = newValue }
  }

  func send(_ e: ReasoningEvent, at t: Double? = nil) {
    if case .spoken = e, !policy.answerSpoken { policy.observe(.answerSpoken) }
    emit(TimedEvent(t: t ?? clock.now, event: e))
    reportLayout(after: e)
  }

  /// Tells the user about a limit the driver reached (e.g. a run's time limit).
  public func notice(_ text: String) { send(.notice(text)) }

  /// Feeds the policy an input, then performs what its change implies: thoughts that reopened
  /// restart or go on, mode changes become events, and a pause hands the partial chunk to speech.
  func applyPolicy(_ input: ReasoningPolicy.Input) {
    let wasSpeaking = policy.mode.writes
    let thoughtsHadEnded = policy.thoughtsEnded
    policy.observe(input)
    if !thoughtsHadEnded && policy.thoughtsEnded { listening.thoughtsEnded() }
    if thoughtsHadEnded && !policy.thoughtsEnded {
      guards.thoughtsChanged(writerStarted: !writer.sampled.isEmpty)
      perform(policy.thoughtsReopened(hasContinuationNote: prompts.continuation != nil))
    }
    for (m, why) in policy.drainChanges() { send(.mode(m, reason: why)) }
    let speaking = policy.mode.writes
    // A pause hands the partial chunk to speech, unless it ends inside a number or on a possible
    // choice letter (said whole, and checked by the grounding rule, when the writer goes on).
    if wasSpeaking && !speaking && !speech.endsInNumber && !speech.endsInLetter, let c = speech.flush(at: clock.now) {
      send(.spoken(c.text, start: c.start, duration: c.duration))
    }
  }

  // MARK: the engine side

  /// Performs the policy's next action. Returns false when there is nothing to do now.
  @discardableResult
  public func tick() -> Bool {
    switch policy.nextAction() {
    case .wait: return false
    case .finish(let why):
      if !finishedEmitted {
        if speech.holding {  // the answer ended while the gate waited: it decides on the thoughts as they are
          decideGate(thoughtsEnded: true)
          settleHeldAnswer()
        }
        if let c = speech.flush(at: clock.now) { send(.spoken(c.text, start: c.start, duration: c.duration)) }
        send(.finished(why))
        finishedEmitted = true
      }
      return false
    case .probe:
      policy.probePreparation(facts).forEach(perform)
      let a = probe.ask(view: layout.probeView)
      let yes = probe.says(a)
      send(.probe(pYes: a.pYes, pNo: a.pNo, yes: yes))
      applyPolicy(.probeAnswered(yes: yes))
      return true
    case .step(let t, let w):
      let rest = t && w && policy.writerRests(speechAhead: speech.endOfSpeech - clock.now)
      step(thinker: t, writer: w && !rest)
      return true
    default:
      preconditionFailure("nextAction gives wait, finish, probe or step")
    }
  }

  /// Asks the control question now (for `probe-check`), without changing the mode.
  public func probeNow() -> (pYes: Double, pNo: Double, logRatio: Double, yes: Bool) {
    if probe.baselineDue(inputTokens: layout.inputLengths.thinker) { perform(.measureBaseline) }
    perform(.reencode(.thinker))
    let a = probe.ask(view: layout.probeView)
    return (a.pYes, a.pNo, a.logRatio, probe.says(a))
  }

  /// What the policy needs to know about the cache and streams to plan a step.
  var facts: ReasoningPolicy.StepFacts {
    ReasoningPolicy.StepFacts(
      thinkerContextStale: layout.thinkerContextStale, sentenceJustCompleted: listening.sentenceJustCompleted,
      writerWasActive: writerWasActive, prepareWriterWhileListening: prepareWriterWhileListening,
      baselineDue: probe.baselineDue(inputTokens: layout.inputLengths.thinker),
      reminderAtBoundary: !pendingReminder.isEmpty && thinkerAtBoundary)
  }

  /// Performs one of the policy's preparing actions (not `step`, `probe`: `tick` does those).
  func perform(_ action: PolicyAction) {
    switch action {
    case .reencode(.thinker): layout.refreshThinker(answerTokens: writer.sampled.count)
    case .reencode(.writer): layout.refreshWriter(thoughtTokens: thinker.sampled.count)
    case .measureBaseline:
      layout.refreshThinker(answerTokens: writer.sampled.count)
      probe.measureBaseline(inputTokens: layout.inputLengths.thinker)
    case .insertReminder: insertReminder()
    case .startTurn: startTurn()
    case .prepareTurn: prepareNextTurn()
    case .restartThoughts: restartThinker()
    case .reopenThoughts: reopenThinker()
    case .wait, .step, .probe, .finish: preconditionFailure("tick performs \(action)")
    }
  }
}
