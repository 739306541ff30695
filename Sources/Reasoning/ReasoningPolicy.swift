/// The thinker/writer/listening policy as a pure state machine (inputs → next action), after the
/// reference solver (PAPER.md §1.5): thinking only → (probe yes) → thinking + writing → (writer
/// ends a paragraph, or probe no) → thinking only …; end of thinking → writing only.
public struct ReasoningPolicy: Sendable {
  public enum Input: Equatable, Sendable {
    /// The input block grew; `sentenceComplete` when the words so far end a sentence.
    case heardWords(sentenceComplete: Bool)
    case endOfUtterance
    case interjection
    /// One step decoded; flags describe the tokens just sampled.
    case stepped(thinker: TokenFlags?, writer: TokenFlags?)
    case probeAnswered(yes: Bool)
    /// A stream has no room for its next token (its block is full, or its view would pass the
    /// model's context limit): a full thinker ends its thoughts, a full writer ends the answer.
    case streamFull(thinker: Bool, writer: Bool)
    /// The thoughts started over (on the whole question so far).
    case thoughtsRestarted
    /// The answer's first words were handed to speech (a chunk: a number is said whole).
    case answerSpoken
  }
  public struct TokenFlags: Equatable, Sendable {
    public var paragraphEnd = false
    public var lineEnd = false
    public var sentenceEnd = false
    public var endOfTurn = false
    public var endOfThinking = false
    /// The writer's token finished a number the thoughts have not reached: it was taken back.
    public var held = false
    public init(
      paragraphEnd: Bool = false, lineEnd: Bool = false, sentenceEnd: Bool = false, endOfTurn: Bool = false,
      endOfThinking: Bool = false, held: Bool = false
    ) {
      self.paragraphEnd = paragraphEnd
      self.lineEnd = lineEnd || paragraphEnd
      self.sentenceEnd = sentenceEnd
      self.endOfTurn = endOfTurn
      self.endOfThinking = endOfThinking
      self.held = held
    }
  }

  public let options: PolicyOptions
  public private(set) var mode: Mode = .listening
  public private(set) var userSpeaking = true
  public private(set) var hasInput = false
  /// Thinker tokens on the question as it now stands: since the thoughts last started over (a new
  /// sentence of the question empties them) or the user last interjected. Counted in all, the
  /// thoughts dropped while listening used the limit up: a 12-second question left ~220 of the
  /// 400 for the whole question and its work was cut mid-step (DECISIONS.md, session 11).
  public private(set) var thoughts = 0
  public private(set) var thoughtsSinceUtterance = 0
  public private(set) var answerTokens = 0
  /// Speech has started saying the answer (`answerSpoken`).
  public private(set) var answerSpoken = false
  private var stepsSinceProbe = 0
  private var probeDue = false
  /// The thinker ended its thoughts (an end-of-thinking token); new words reopen them.
  public private(set) var thoughtsEnded = false
  /// The writer took back a number the thoughts have not reached; it waits for their next line.
  public private(set) var writerHeld = false
  /// The thinker's last token ended a sentence or a line (or nothing is thought yet).
  public private(set) var thoughtsAtSentenceEnd = true
  /// Lines of thoughts since they last started over.
  public private(set) var linesSinceRestart = 0
  /// Mode changes with their reason, drained by the driver into events.
  public private(set) var changes: [(Mode, String)] = []

  /// What the driver knows about its cache and streams before a step (`preparation`).
  public struct StepFacts: Equatable, Sendable {
    /// The input changed since the thinker's scaffolding was encoded.
    public var thinkerContextStale = false
    /// The user's last word completed a sentence (since the last step).
    public var sentenceJustCompleted = false
    /// The writer stepped last time (its scaffolding is current).
    public var writerWasActive = false
    /// Re-encode the writer's scaffolding while the user speaks too (an option).
    public var prepareWriterWhileListening = true
    /// The probe's baseline is not measured on the input as it is (the relative rule only).
    public var baselineDue = false
    /// A reminder waits for the thoughts, and they are at a line boundary.
    public var reminderAtBoundary = false
    public init(
      thinkerContextStale: Bool = false, sentenceJustCompleted: Bool = false, writerWasActive: Bool = false,
      prepareWriterWhileListening: Bool = true, baselineDue: Bool = false, reminderAtBoundary: Bool = false
    ) {
      self.thinkerContextStale = thinkerContextStale
      self.sentenceJustCompleted = sentenceJustCompleted
      self.writerWasActive = writerWasActive
      self.prepareWriterWhileListening = prepareWriterWhileListening
      self.baselineDue = baselineDue
      self.reminderAtBoundary = reminderAtBoundary
    }
  }

  public init(options: PolicyOptions) { self.options = options }

  public mutating func drainChanges() -> [(Mode, String)] {
    defer { changes.removeAll() }
    return changes
  }

  private mutating func set(_ m: Mode, _ why: String) {
    if m != mode {
      if m != .thinking { writerHeld = false }
      mode = m
      changes.append((m, why))
    }
  }

  public mutating func observe(_ input: Input) {
    switch input {
    case .heardWords(let complete):
      // Thinking starts on the first complete sentence: on half a question the small models
      // invent a topic and never come back (measured, DECISIONS.md).
      if complete { hasInput = true }
      // A new sentence may change the question: thoughts that ended on part of it go on.
      if complete && thoughtsEnded && userSpeaking { thoughtsEnded = false }
      if mode == .listening && hasInput && options.thinkWhileListening && options.strategy != .nothink {
        set(.thinking, "thinking while listening")
      }
    case .endOfUtterance:
      userSpeaking = false
      thoughtsSinceUtterance = 0
      stepsSinceProbe = 0
      switch options.strategy {
      case .nothink: set(.speaking, "answering at once")
      case .think, .async:
        set(thoughtsOver ? .speaking : .thinking, thoughtsOver ? "user finished; thoughts already complete" : "user finished")
      }
      // Notes taken while listening may already answer the question: ask at once — unless
      // thoughts kept at the question (`keepThoughtsOnQuestion`) hold a plan, which starts the
      // writer at the next step whatever the probe says.
      let planKept = options.keepThoughtsOnQuestion && planWritten
      if options.strategy == .async && thoughts >= options.probeAtEndMinThoughts && !planKept { probeDue = true }
    case .interjection:
      hasInput = true
      thoughts = 0
      thoughtsEnded = false  // the correction needs thinking again
      writerHeld = false
      userSpeaking = false
      thoughtsSinceUtterance = 0
      stepsSinceProbe = 0
      probeDue = false
      switch options.strategy {
      case .nothink: set(.speaking, "interjection: answering again")
      case .think, .async: set(.thinking, "interjection: rethinking")
      }
    case .stepped(let t, let w):
      var released = false
      if let t {
        if writerHeld && mode == .thinking && t.lineEnd {
          set(.thinkingAndSpeaking, "thoughts grew: the writer goes on")
          released = true
        }
        thoughts += 1
        thoughtsAtSentenceEnd = t.sentenceEnd || t.lineEnd
        if t.lineEnd { linesSinceRestart += 1 }
        if !userSpeaking { thoughtsSinceUtterance += 1 }
        stepsSinceProbe += 1
        if t.endOfThinking { thoughtsEnded = true }
        if awaitsFirstWord && !released {
          stepsSinceProbe = 0
        } else if options.strategy == .async && !userSpeaking {
          // a note line ends while the listener still waits for the first word
          let lineWhileWaiting =
            options.probeAtLinesAfter > 0 && t.lineEnd && thoughts >= options.probeAtLinesAfter
            && mode == .thinking && answerTokens == 0
          if t.paragraphEnd || stepsSinceProbe >= options.probeInterval || lineWhileWaiting { probeDue = true }
        }
        if released && !options.probeOnRelease {
          probeDue = false
          stepsSinceProbe = 0
        }
      }
      if let w, w.held {
        if mode == .thinkingAndSpeaking {
          set(.thinking, "writer held: it waits for the thoughts")
          writerHeld = true
        }
      } else if let w {
        answerTokens += 1
        if w.endOfTurn || answerTokens >= options.answerBudget {
          set(.done, w.endOfTurn ? "answer complete" : "answer budget reached")
          return
        }
        if mode == .thinkingAndSpeaking && (w.paragraphEnd || (options.pauseAtSentences && w.sentenceEnd)) {
          set(.thinking, w.paragraphEnd ? "writer paused at paragraph end" : "writer paused at sentence end")
        }
      }
      if mode == .thinking || mode == .thinkingAndSpeaking {
        if thoughtsOver {
          // Never speak over the user: a finished thinker waits for the end of the utterance.
          if !userSpeaking { set(.speaking, thoughtsEnded ? "thoughts ended" : "thought limit reached") }
        } else if !userSpeaking && mode == .thinking && !writerHeld
          && ((thoughtsSinceUtterance >= (options.strategy == .think ? options.thoughtBudget : options.speakAfter)
            && !waitsForSentence) || planWritten)
        {
          if options.strategy == .think {
            set(.speaking, "thought budget reached")
          } else {
            set(.thinkingAndSpeaking, planWritten ? "the thoughts have a plan: speaking" : "thought budget: speaking anyway")
            if !planWritten { thoughtsSinceUtterance = 0 }
            // The bound (or the plan) stands for the probe's yes.
            if options.firstWordBeforeProbe {
              probeDue = false
              stepsSinceProbe = 0
            }
          }
        }
      }
    case .probeAnswered(let yes):
      probeDue = false
      stepsSinceProbe = 0
      if mode == .thinking && yes && !writerHeld { set(.thinkingAndSpeaking, "probe: yes") }
      if mode == .thinkingAndSpeaking && !yes { set(.thinking, "probe: no") }
    case .answerSpoken:
      answerSpoken = true
    case .thoughtsRestarted:
      thoughtsAtSentenceEnd = true
      linesSinceRestart = 0
      thoughts = 0
    case .streamFull(let t, let w):
      if w {
        set(.done, "answer stopped: no room left for it")
        return
      }
      if t {
        thoughtsEnded = true
        probeDue = false
        // Never speak over the user: a finished thinker waits for the end of the utterance.
        if !userSpeaking && (mode == .thinking || mode == .thinkingAndSpeaking) {
          set(.speaking, "thoughts stopped: no room left for them")
        }
      }
    }
  }

  /// Async, nothing said yet: the thoughts on the whole question have written their plan.
  private var planWritten: Bool {
    options.strategy == .async && answerTokens == 0 && options.speakAfterLines > 0 && linesSinceRestart >= options.speakAfterLines
  }

  /// Async, nothing said yet, past `speakAfter`: the thoughts are mid-sentence and the writer may
  /// still wait for its end (`sentenceWait`), so it does not start on a fragment.
  private var waitsForSentence: Bool {
    options.strategy == .async && answerTokens == 0 && !thoughtsAtSentenceEnd
      && thoughtsSinceUtterance < options.speakAfter + options.sentenceWait
  }

  /// Async: the writer was started and speech has not said its first word (the refusal gate waits
  /// for the thoughts' first sentence; a chunk ends after a number): no probe until it has
  /// (`firstWordBeforeProbe`).
  private var awaitsFirstWord: Bool {
    options.firstWordBeforeProbe && options.strategy == .async && mode == .thinkingAndSpeaking && !answerSpoken
  }

  /// The thinker ended its thoughts or reached the thought limit on the question as it stands.
  private var thoughtsOver: Bool { thoughtsEnded || thoughts >= options.maxThoughts }

  public func nextAction() -> PolicyAction {
    switch mode {
    case .done: return .finish("answer complete")
    case .listening: return .wait
    case .thinking:
      if userSpeaking && (!(options.thinkWhileListening && hasInput) || thoughtsOver) { return .wait }
      if probeDue && !writerHeld { return .probe }  // a held writer waits for a line of thoughts
      return .step(thinker: true, writer: false)
    case .thinkingAndSpeaking:
      if probeDue { return .probe }
      return .step(thinker: true, writer: true)
    case .speaking: return .step(thinker: false, writer: true)
    }
  }

  // MARK: the driver's other decisions

  /// Whether a step of both streams may leave the writer out: async, and the speech already
  /// written reaches `speechAhead` seconds past now, more than `writerLead`.
  public func writerRests(speechAhead: Double) -> Bool {
    options.strategy == .async && options.writerLead > 0 && speechAhead > options.writerLead
  }

  /// What to do before a step of these streams, in order: re-encode the thinker's scaffolding once
  /// the input it reads is a whole sentence (or complete), and while the user still speaks the
  /// writer's and the probe's baseline too (off the critical path); the writer's when it starts
  /// speaking; the reminder at the thoughts' line boundary.
  public func preparation(thinker: Bool, writer: Bool, _ f: StepFacts) -> [PolicyAction] {
    var out: [PolicyAction] = []
    if thinker && f.thinkerContextStale && (!userSpeaking || f.sentenceJustCompleted) {
      out.append(.reencode(.thinker))
      if userSpeaking && f.prepareWriterWhileListening {
        out.append(.reencode(.writer))
        if options.baselineWhileListening, let b = baselineAction(f) { out.append(b) }
      }
    }
    if writer && !f.writerWasActive { out.append(.reencode(.writer)) }
    if thinker && f.reminderAtBoundary { out.append(.insertReminder) }
    return out
  }

  /// Before the probe: its baseline when due (async, relative rule, input changed), then the
  /// thinker's scaffolding.
  public func probePreparation(_ f: StepFacts) -> [PolicyAction] {
    (baselineAction(f).map { [$0] } ?? []) + [.reencode(.thinker)]
  }

  private func baselineAction(_ f: StepFacts) -> PolicyAction? {
    f.baselineDue && options.strategy == .async ? .measureBaseline : nil
  }

  /// The user finished a question and its answer is complete and fully spoken by `t`
  /// (`endOfSpeech`): what the user says next is a new turn.
  public func turnIsOver(at t: Double, endOfSpeech: Double) -> Bool {
    !userSpeaking && mode == .done && t >= endOfSpeech
  }

  /// The user speaks (a word, or a typed line) at `t`: after a complete, fully spoken answer (or
  /// once the next turn is prepared) it is the next turn; otherwise part of this one.
  public func userSpeaks(at t: Double, endOfSpeech: Double, nextTurnPrepared: Bool) -> PolicyAction? {
    nextTurnPrepared || turnIsOver(at: t, endOfSpeech: endOfSpeech) ? .startTurn : nil
  }

  /// Idle at `t`: once the answer is spoken and nobody speaks, set up the next turn (its history
  /// prefill is then off the path to the next answer's first word).
  public func idle(at t: Double, endOfSpeech: Double, nextTurnPrepared: Bool) -> PolicyAction? {
    !nextTurnPrepared && turnIsOver(at: t, endOfSpeech: endOfSpeech) ? .prepareTurn : nil
  }

  /// The user completed a sentence: with `restartOnNewSentence` (a prompt set's choice; thoughts
  /// about part of a question anchor small models on a question never asked, DECISIONS.md
  /// 2026-11-30) thoughts already written start over — but in async mode
  /// (`keepThoughtsOnQuestion`), not at a question that only names what to find (no number of its
  /// own): the facts were heard whole, and the work on them is kept.
  public func sentenceCompleted(restartOnNewSentence: Bool, hasThoughts: Bool, namesOnlyWhatToFind: Bool = false)
    -> PolicyAction?
  {
    let keep = namesOnlyWhatToFind && options.keepThoughtsOnQuestion && options.strategy == .async
    return restartOnNewSentence && hasThoughts && !keep ? .restartThoughts : nil
  }

  /// Ended thoughts were reopened (new words): ended on part of a question the user is still
  /// asking, with no continuation note to say what came since, they start over; otherwise they go
  /// on from a new paragraph.
  public func thoughtsReopened(hasContinuationNote: Bool) -> PolicyAction {
    userSpeaking && !hasContinuationNote ? .restartThoughts : .reopenThoughts
  }
}
