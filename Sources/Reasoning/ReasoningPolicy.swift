/// Options of the mode state machine.
public struct PolicyOptions: Sendable, Equatable {
  public enum Strategy: String, Sendable, CaseIterable { case async, think, nothink }
  public var strategy: Strategy = .async
  public var thinkWhileListening = true
  /// Ask the probe every this many thinker steps (and at thinker paragraph ends).
  public var probeInterval = 20
  /// At the end of the utterance, ask at once when at least this many notes were taken while
  /// listening (8 instead of 20 halved the wait for the first word and cost 11 points of
  /// accuracy: DECISIONS.md).
  public var probeAtEndMinThoughts = 20
  /// While the listener waits (user finished, nothing spoken yet), also ask at each thinker line
  /// end once this many notes exist (0 = off): instruct models write one step per line and
  /// rarely end a paragraph, so a line is their unit of progress (8: mean time to first word
  /// 0.67 → 0.58 s at the same accuracy, DECISIONS.md).
  public var probeAtLinesAfter = 8
  /// Think-then-answer: thinker tokens after the user finished before answering regardless (the
  /// thinker usually ends its worked answer sooner; DECISIONS.md 2026-11-30).
  public var thoughtBudget = 320
  /// Async: thinker tokens, counted from when the listener starts waiting (end of the question, or
  /// a writer pause), before the writer speaks regardless of the probe: it bounds the silence.
  public var speakAfter = 24
  /// Async: the writer also starts, sooner, once the thoughts on the whole question have this
  /// many lines (an instruct model's first line is its plan: "To find …, we need to …"); the
  /// grounding rule keeps it from saying numbers ahead of them (0: `speakAfter` only).
  public var speakAfterLines = 1
  /// Thinker tokens in all (then speaking only).
  public var maxThoughts = 400
  public var answerBudget = 200
  /// Pause the writer at sentence ends too, not only at paragraph ends (worked answers are spoken
  /// in a few sentences and rarely in paragraphs: on by default, DECISIONS.md 2026-11-30).
  public var pauseAtSentences = true
  /// Async: the writer may finish saying a number only when the user said it, the thoughts wrote
  /// it, or the answer already said it; otherwise it takes the number back unspoken and waits
  /// for the next line of thoughts (DECISIONS.md 2026-11-30, "grounded numbers").
  public var groundNumbers = true
  /// Every stream's `a × b =` is completed with the exact result (`Calculator`), in all modes.
  public var calculator = true
  /// An answer that ends without the result its finished thoughts reached says the prompt set's
  /// correction first (`PromptSet.correction`), in every mode that thinks.
  public var correctAnswers = true
  /// The writer waits for the thoughts' first sentence and says only it when it declines
  /// (`RefusalGate`), in every mode (no-thinking runs the thinker that far, unseen by the writer).
  public var refusalGate = true
  public init() {}
}

/// What the driver should do next.
public enum PolicyAction: Equatable, Sendable {
  case wait  // nothing to compute until the user says something
  case step(thinker: Bool, writer: Bool)
  case probe
  case finish(String)
}

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
  }
  public struct TokenFlags: Equatable, Sendable {
    public var paragraphEnd = false
    public var lineEnd = false
    public var sentenceEnd = false
    public var endOfTurn = false
    public var endOfThinking = false
    /// The writer's token finished a number the thoughts have not reached: it was taken back.
    public var held = false
    public init(paragraphEnd: Bool = false, lineEnd: Bool = false, sentenceEnd: Bool = false, endOfTurn: Bool = false, endOfThinking: Bool = false, held: Bool = false) {
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
  public private(set) var thoughts = 0
  public private(set) var thoughtsSinceUtterance = 0
  public private(set) var answerTokens = 0
  private var stepsSinceProbe = 0
  private var probeDue = false
  /// The thinker ended its thoughts (an end-of-thinking token); new words reopen them.
  public private(set) var thoughtsEnded = false
  /// The writer took back a number the thoughts have not reached; it waits for their next line.
  public private(set) var writerHeld = false
  /// Lines of thoughts since they last started over.
  public private(set) var linesSinceRestart = 0
  /// Mode changes with their reason, drained by the driver into events.
  public private(set) var changes: [(Mode, String)] = []

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
      case .think, .async: set(thoughtsOver ? .speaking : .thinking, thoughtsOver ? "user finished; thoughts already complete" : "user finished")
      }
      // Notes taken while listening may already answer the question: ask at once.
      if options.strategy == .async && thoughts >= options.probeAtEndMinThoughts { probeDue = true }
    case .interjection:
      hasInput = true
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
      if let t {
        if writerHeld && mode == .thinking && t.lineEnd {
          set(.thinkingAndSpeaking, "thoughts grew: the writer goes on")
        }
        thoughts += 1
        if t.lineEnd { linesSinceRestart += 1 }
        if !userSpeaking { thoughtsSinceUtterance += 1 }
        stepsSinceProbe += 1
        if t.endOfThinking { thoughtsEnded = true }
        if options.strategy == .async && !userSpeaking {
          // a note line ends while the listener still waits for the first word
          let lineWhileWaiting = options.probeAtLinesAfter > 0 && t.lineEnd && thoughts >= options.probeAtLinesAfter
            && mode == .thinking && answerTokens == 0
          if t.paragraphEnd || stepsSinceProbe >= options.probeInterval || lineWhileWaiting { probeDue = true }
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
          && (thoughtsSinceUtterance >= (options.strategy == .think ? options.thoughtBudget : options.speakAfter) || planWritten)
        {
          if options.strategy == .think {
            set(.speaking, "thought budget reached")
          } else if planWritten {
            set(.thinkingAndSpeaking, "the thoughts have a plan: speaking")
          } else {
            set(.thinkingAndSpeaking, "thought budget: speaking anyway")
            thoughtsSinceUtterance = 0
          }
        }
      }
    case .probeAnswered(let yes):
      probeDue = false
      stepsSinceProbe = 0
      if mode == .thinking && yes && !writerHeld { set(.thinkingAndSpeaking, "probe: yes") }
      if mode == .thinkingAndSpeaking && !yes { set(.thinking, "probe: no") }
    case .thoughtsRestarted:
      linesSinceRestart = 0
    case .streamFull(let t, let w):
      if w {
        set(.done, "answer stopped: no room left for it")
        return
      }
      if t {
        thoughtsEnded = true
        probeDue = false
        // Never speak over the user: a finished thinker waits for the end of the utterance.
        if !userSpeaking && (mode == .thinking || mode == .thinkingAndSpeaking) { set(.speaking, "thoughts stopped: no room left for them") }
      }
    }
  }

  /// Async, nothing said yet: the thoughts on the whole question have written their plan.
  private var planWritten: Bool {
    options.strategy == .async && answerTokens == 0 && options.speakAfterLines > 0 && linesSinceRestart >= options.speakAfterLines
  }

  /// The thinker ended its thoughts or reached the thought limit.
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
}
